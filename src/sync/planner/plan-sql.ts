/**
 * The planner's SQL: ONE pass over the source and the snapshot (full outer join on key) that
 * classifies every row and writes the non-unchanged ones to the plan table. Portable SQL; the
 * engine-specific parts (quoting, casts, the row hash, CTAS) come from the dialect.
 */
import type { Dialect, RelationRef } from '../../warehouse/types.js';
import type { FastHash } from './fast-hash.js';

/** What the plan statement needs. */
export interface PlanSqlInput {
  source: RelationRef;
  snapshot: RelationRef;
  plan: RelationRef;
  /** The sync key column. */
  key: string;
  /** Source columns the mapping reads: hashed and copied into the plan. */
  columns: string[];
  /** Mixed into every row hash, so a changed mapping changes every hash. */
  fingerprint: string;
  /** Treat every snapshot row as stale: matched rows become `changed`. */
  fullResync: boolean;
  /** The sync's `where:` filter: a condition over the source's columns; only matching rows are planned. */
  where?: string;
  /**
   * Rows to leave out (people under a privacy request): `source` is a condition over the source's
   * columns, `snapshot` one over the snapshot's; matching rows are neither sent nor removed here
   * (the privacy request erases them from the destination, see src/privacy).
   */
  exclude?: { source: string; snapshot: string };
  /**
   * The engine's fast hash (fast-hash.ts): snapshot rows labelled with its scheme are compared
   * by it, any other row by the MD5 `hash`; MD5 is then computed only for rows that need it.
   */
  fast?: FastHash;
  /**
   * Leave duplicate keys out of the statement (no aggregate over the source): the caller checks
   * afterwards, by counting, that no key repeats (`planDuplicateCheckSql`) and plans again without
   * this flag when one does. Repeated keys that are all new are fixed up on the plan table alone.
   */
  deferDuplicates?: boolean;
}

/** Internal plan columns (prefixed so they cannot clash with source columns). */
export const PLAN = {
  change: '__weft_change',
  key: '__weft_key',
  hash: '__weft_hash',
  fastHash: '__weft_fast_hash',
  destinationId: '__weft_destination_id',
  inSnapshot: '__weft_in_snapshot',
} as const;

/** The source rows a plan reads (`where:`, less exclusions) and the snapshot rows it compares with. */
function plannedRelations(dialect: Dialect, input: PlanSqlInput): { source: string; snapshot: string } {
  const conditions = [
    ...(input.where !== undefined ? [`(${input.where})`] : []),
    ...(input.exclude ? [`NOT (${input.exclude.source})`] : []),
  ];
  return {
    source:
      conditions.length > 0
        ? `(SELECT * FROM ${dialect.qualify(input.source)} WHERE ${conditions.join(' AND ')})`
        : dialect.qualify(input.source),
    snapshot: input.exclude
      ? `(SELECT * FROM ${dialect.qualify(input.snapshot)} WHERE NOT (${input.exclude.snapshot}))`
      : dialect.qualify(input.snapshot),
  };
}

/** `CREATE OR REPLACE TABLE plan AS …` classifying rows as added/changed/removed/null_key/duplicate_key. */
export function planTableSql(dialect: Dialect, input: PlanSqlInput): string {
  const q = (name: string) => dialect.quoteIdent(name);
  const { source, snapshot } = plannedRelations(dialect, input);
  const keyOf = (alias: string) => dialect.cast(`${alias}.${q(input.key)}`, 'string');
  const hashOf = (alias: string) =>
    dialect.rowHash([dialect.literal(input.fingerprint), ...input.columns.map((c) => `${alias}.${q(c)}`)]);
  const fast = input.fast;
  const fastOf = (alias: string) =>
    fast?.expr([dialect.literal(input.fingerprint), ...input.columns.map((c) => `${alias}.${q(c)}`)]);
  const sourceColumns = input.columns.map((c) => `s.${q(c)}`);
  // With a fast hash, MD5 is computed only where needed: to compare a snapshot row labelled with
  // another scheme (the CASE evaluates its ELSE for those rows alone), and for the plan's rows.
  const same = input.fullResync
    ? 'FALSE'
    : fast
      ? `CASE WHEN t.${q('fast_scheme')} = ${dialect.literal(fast.scheme)} THEN t.${q('fast_hash')} = s.${q(PLAN.fastHash)} ELSE t.${q('hash')} = ${hashOf('s')} END`
      : `t.${q('hash')} = s.${q(PLAN.hash)}`;
  // A blank key ('' or spaces) identifies nobody: it counts with the NULL keys, never sent.
  // Duplicated keys: every row of such a key is excluded (counted, never sent), and a snapshot
  // row they match is neither changed nor removed. They are found by an aggregate over the key
  // alone (a small hash table), which is much cheaper than a window over whole rows.
  // With a fast hash, keys are first grouped by their 64-bit hash (an integer hash table, much
  // cheaper than one of strings); only keys whose hash repeats are then grouped exactly.
  const duplicated = input.deferDuplicates
    ? undefined
    : fast
      ? `SELECT ${keyOf('dup')} AS weft_dup_key FROM ${source} AS dup
    WHERE ${fast.expr([keyOf('dup')])} IN (SELECT ${fast.expr([keyOf('h')])} FROM ${source} AS h GROUP BY 1 HAVING count(*) > 1)
    GROUP BY ${keyOf('dup')} HAVING count(*) > 1`
      : `SELECT ${keyOf('dup')} AS weft_dup_key FROM ${source} AS dup GROUP BY ${keyOf('dup')} HAVING count(*) > 1`;
  // Blank = empty or spaces only; TRIM runs only for keys that start with a space (it is the
  // costliest test of the pass when run on every row).
  const sKey = `s.${q(PLAN.key)}`;
  const blank = `(${sKey} = '' OR (${dialect.substring(sKey, 1, 1)} = ' ' AND TRIM(${sKey}) = ''))`;
  const classified = `SELECT
    CASE
      WHEN s.weft_present IS NULL THEN 'removed'
      WHEN ${sKey} IS NULL OR ${blank} THEN 'null_key'
${duplicated ? "      WHEN s.weft_duplicated THEN 'duplicate_key'\n" : ''}      WHEN t.${q('key')} IS NULL THEN 'added'
      WHEN ${same} THEN 'unchanged'
      ELSE 'changed'
    END AS ${q(PLAN.change)},
    coalesce(s.${q(PLAN.key)}, t.${q('key')}) AS ${q(PLAN.key)},
    ${fast ? `s.${q(PLAN.fastHash)}` : `s.${q(PLAN.hash)} AS ${q(PLAN.hash)}`},
    t.${q('destination_id')} AS ${q(PLAN.destinationId)},
    t.${q('key')} IS NOT NULL AS ${q(PLAN.inSnapshot)}${sourceColumns.map((c) => `,\n    ${c}`).join('')}
  FROM (
    SELECT ${input.columns.map((c) => `src.${q(c)}, `).join('')}${keyOf('src')} AS ${q(PLAN.key)},
      ${fast ? `${fastOf('src')} AS ${q(PLAN.fastHash)}` : `${hashOf('src')} AS ${q(PLAN.hash)}`},
      TRUE AS weft_present${
        duplicated
          ? `,
      d.weft_dup_key IS NOT NULL AS weft_duplicated
    FROM ${source} AS src
    LEFT JOIN (${duplicated}) AS d ON ${keyOf('src')} = d.weft_dup_key`
          : `
    FROM ${source} AS src`
      }
  ) AS s
  FULL OUTER JOIN ${snapshot} AS t ON s.${q(PLAN.key)} = t.${q('key')}`;
  // The plan's rows carry the MD5 the snapshot records (removed rows have no values to hash).
  const select = fast
    ? `SELECT d.*, CASE WHEN ${q(PLAN.change)} <> 'removed' THEN ${hashOf('d')} END AS ${q(PLAN.hash)} FROM (\n  ${classified}\n) AS d WHERE ${q(PLAN.change)} <> 'unchanged'`
    : `SELECT * FROM (\n  ${classified}\n) AS d WHERE ${q(PLAN.change)} <> 'unchanged'`;
  return dialect.createTableAs(input.plan, select);
}

/**
 * Counts per change kind of a plan table, plus how many snapshot rows a changed/removed row or
 * a duplicated key accounts for (to derive `unchanged` without storing unchanged rows).
 */
export function planCountsSql(dialect: Dialect, plan: RelationRef): string {
  const q = (name: string) => dialect.quoteIdent(name);
  const when = (condition: string) => `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  const kind = (k: string) => `${q(PLAN.change)} = '${k}'`;
  return `SELECT
  ${when(kind('added'))} AS added,
  ${when(kind('changed'))} AS changed,
  ${when(kind('removed'))} AS removed,
  ${when(kind('null_key'))} AS null_keys,
  ${when(kind('duplicate_key'))} AS duplicate_keys,
  count(DISTINCT CASE WHEN ${kind('duplicate_key')} AND ${q(PLAN.inSnapshot)} THEN ${q(PLAN.key)} END) AS duplicate_keys_in_snapshot
FROM ${dialect.qualify(plan)}`;
}

/**
 * For a plan made with `deferDuplicates`: how many source rows it accounts for. With no repeated
 * key among the rows that matched the snapshot, every matched snapshot key has exactly one source
 * row, so the source holds `source_rows_in_plan + (snapshot rows - removed - matched_in_plan)`
 * rows; more means a key repeats (and the plan must be made again with the exact check).
 * `added_repeats` counts keys repeated among new rows, which the plan table alone can fix.
 */
export function planDuplicateCheckSql(dialect: Dialect, input: PlanSqlInput): string {
  const q = (name: string) => dialect.quoteIdent(name);
  const change = q(PLAN.change);
  const { source, snapshot } = plannedRelations(dialect, input);
  const plan = dialect.qualify(input.plan);
  return `SELECT
  (SELECT count(*) FROM ${source} AS s) AS source_rows,
  (SELECT count(*) FROM ${snapshot} AS t) AS snapshot_rows,
  (SELECT count(*) FROM ${plan} WHERE ${change} <> 'removed') AS source_rows_in_plan,
  (SELECT count(*) FROM ${plan} WHERE ${change} <> 'removed' AND ${q(PLAN.inSnapshot)}) AS matched_in_plan,
  (SELECT count(*) FROM ${plan} WHERE ${change} = 'removed') AS removed,
  (SELECT count(*) FROM (SELECT ${q(PLAN.key)} FROM ${plan} WHERE ${change} = 'added' GROUP BY ${q(PLAN.key)} HAVING count(*) > 1) AS r) AS added_repeats`;
}

/** Marks new rows whose key repeats (none of them is in the snapshot) as `duplicate_key`. */
export function markAddedDuplicatesSql(dialect: Dialect, plan: RelationRef): string {
  const q = (name: string) => dialect.quoteIdent(name);
  const change = q(PLAN.change);
  const key = q(PLAN.key);
  return `UPDATE ${dialect.qualify(plan)} SET ${change} = 'duplicate_key'
WHERE ${change} = 'added' AND ${key} IN (SELECT ${key} FROM ${dialect.qualify(plan)} WHERE ${change} = 'added' GROUP BY ${key} HAVING count(*) > 1)`;
}
