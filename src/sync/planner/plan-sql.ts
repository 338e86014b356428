/**
 * The planner's SQL: ONE pass over the source and the snapshot (full outer join on key) that
 * classifies every row and writes the non-unchanged ones to the plan table. Portable SQL; the
 * engine-specific parts (quoting, casts, the row hash, CTAS) come from the dialect.
 */
import type { Dialect, RelationRef } from '../../warehouse/types.js';

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
  /**
   * Rows to leave out (people under a privacy request): `source` is a condition over the source's
   * columns, `snapshot` one over the snapshot's; matching rows are neither sent nor removed here
   * (the privacy request erases them from the destination, see src/privacy).
   */
  exclude?: { source: string; snapshot: string };
}

/** Internal plan columns (prefixed so they cannot clash with source columns). */
export const PLAN = {
  change: '__weft_change',
  key: '__weft_key',
  hash: '__weft_hash',
  destinationId: '__weft_destination_id',
  inSnapshot: '__weft_in_snapshot',
} as const;

/** `CREATE OR REPLACE TABLE plan AS …` classifying rows as added/changed/removed/null_key/duplicate_key. */
export function planTableSql(dialect: Dialect, input: PlanSqlInput): string {
  const q = (name: string) => dialect.quoteIdent(name);
  const source = input.exclude
    ? `(SELECT * FROM ${dialect.qualify(input.source)} WHERE NOT (${input.exclude.source}))`
    : dialect.qualify(input.source);
  const snapshot = input.exclude
    ? `(SELECT * FROM ${dialect.qualify(input.snapshot)} WHERE NOT (${input.exclude.snapshot}))`
    : dialect.qualify(input.snapshot);
  const keyOf = (alias: string) => dialect.cast(`${alias}.${q(input.key)}`, 'string');
  const hash = dialect.rowHash([
    dialect.literal(input.fingerprint),
    ...input.columns.map((c) => `src.${q(c)}`),
  ]);
  const sourceColumns = input.columns.map((c) => `s.${q(c)}`);
  const same = input.fullResync ? 'FALSE' : `t.${q('hash')} = s.${q(PLAN.hash)}`;
  // A blank key ('' or spaces) identifies nobody: it counts with the NULL keys, never sent.
  // Duplicated keys: every row of such a key is excluded (counted, never sent), and a snapshot
  // row they match is neither changed nor removed. They are found by an aggregate over the key
  // alone (a small hash table), which is much cheaper than a window over whole rows.
  const duplicated = `SELECT ${keyOf('dup')} AS weft_dup_key FROM ${source} AS dup GROUP BY ${keyOf('dup')} HAVING count(*) > 1`;
  const classified = `SELECT
    CASE
      WHEN s.weft_present IS NULL THEN 'removed'
      WHEN s.${q(PLAN.key)} IS NULL OR TRIM(s.${q(PLAN.key)}) = '' THEN 'null_key'
      WHEN s.weft_duplicated THEN 'duplicate_key'
      WHEN t.${q('key')} IS NULL THEN 'added'
      WHEN ${same} THEN 'unchanged'
      ELSE 'changed'
    END AS ${q(PLAN.change)},
    coalesce(s.${q(PLAN.key)}, t.${q('key')}) AS ${q(PLAN.key)},
    s.${q(PLAN.hash)} AS ${q(PLAN.hash)},
    t.${q('destination_id')} AS ${q(PLAN.destinationId)},
    t.${q('key')} IS NOT NULL AS ${q(PLAN.inSnapshot)}${sourceColumns.map((c) => `,\n    ${c}`).join('')}
  FROM (
    SELECT ${input.columns.map((c) => `src.${q(c)}, `).join('')}${keyOf('src')} AS ${q(PLAN.key)},
      ${hash} AS ${q(PLAN.hash)},
      TRUE AS weft_present,
      d.weft_dup_key IS NOT NULL AS weft_duplicated
    FROM ${source} AS src
    LEFT JOIN (${duplicated}) AS d ON ${keyOf('src')} = d.weft_dup_key
  ) AS s
  FULL OUTER JOIN ${snapshot} AS t ON s.${q(PLAN.key)} = t.${q('key')}`;
  return dialect.createTableAs(
    input.plan,
    `SELECT * FROM (\n  ${classified}\n) AS d WHERE ${q(PLAN.change)} <> 'unchanged'`,
  );
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
