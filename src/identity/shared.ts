/**
 * Shared-identifier detection from the data, for every id type. A value's *blocks* are its
 * partners (values on its rows) grouped where they co-occur on some row; a block is strong
 * evidence of a person when it holds two partners or a partner seen with anything else. A value
 * whose strong blocks reach its type's `shared_threshold` links several people's own evidence
 * (four contacts' user ids and phones behind one info@ mailbox, three people's emails behind a
 * desk phone) and is shared: kept as evidence, never merged on, attached to each profile it is
 * seen with (identity_shared). Organisation lines are a prior: an email with a role local part
 * (info@, sales@…) or a toll-free phone (+1 800, 833, 844, 855, 866, 877, 888) is shared once
 * `role_mailbox_threshold` blocks of any strength point at different people, once two names
 * are on its rows, or as soon as a *bare* row carries it (a row with no other usable identifier
 * but organisation lines: a ticket keyed by the address alone, a contact filed under the role
 * mailbox and the toll-free desk line). A bare row on an organisation's line says which
 * organisation wrote, not which person: attached to whoever else uses the line it would glue
 * them together. Such rows stay in no person's profile (identity_rows leaves them out), and
 * the line is attached to each person seen with it. An organisation line one person uses on
 * rows that carry their other identifiers is still theirs. The result depends only on the set
 * of rows, so incremental equals full.
 */
import type { RelationRef } from '../warehouse/types.js';
import { componentWork, connectedComponents } from './components.js';
import { type IdentityContext, type IdType, perTypeCase } from './context.js';
import type { ResolvedSource } from './source-columns.js';
import { unionAll, workTable } from './sql.js';

/** Local parts of role mailboxes: the prior that lowers an email's shared threshold. */
export const ROLE_LOCAL_PARTS = [
  'info',
  'sales',
  'contact',
  'contacts',
  'office',
  'hello',
  'admin',
  'support',
  'team',
  'billing',
  'accounts',
  'accounting',
  'hr',
  'jobs',
  'careers',
  'marketing',
  'enquiries',
  'inquiries',
  'reception',
  'help',
  'service',
  'orders',
];

/** E.164 prefixes of toll-free numbers (NANP): business lines, never one person's own phone. */
export const TOLL_FREE_PREFIXES = ['+1800', '+1833', '+1844', '+1855', '+1866', '+1877', '+1888'];

const PAIR_COLUMNS = ['x_type', 'x_value', 'y_type', 'y_value'].map((name) => ({
  name,
  type: 'string' as const,
}));

/**
 * Pairs (x, y) of usable identifiers on one row of `from`, one direction only: x of the type of
 * higher priority (a source holds each type at most once, so the types always differ).
 */
function rowPairs(ctx: IdentityContext, rs: ResolvedSource, from: string): string[] {
  const { d } = ctx;
  const parts: string[] = [];
  for (const [i, a] of rs.ids.entries()) {
    for (const b of rs.ids.slice(i + 1)) {
      parts.push(
        `SELECT ${d.literal(a.type.name)} AS x_type, ${a.norm} AS x_value, ${d.literal(b.type.name)} AS y_type, ${b.norm} AS y_value FROM ${from} w WHERE ${a.reason} IS NULL AND ${b.reason} IS NULL`,
      );
    }
  }
  return parts;
}

/** Both directions of the one-direction pairs in `pairs`: every (x, y) and (y, x), still distinct. */
function bothDirections(ctx: IdentityContext, pairs: RelationRef): string {
  const pq = ctx.q(pairs);
  return `SELECT x_type, x_value, y_type, y_value FROM ${pq}
    UNION ALL SELECT y_type AS x_type, y_value AS x_value, x_type AS y_type, x_value AS y_value FROM ${pq}`;
}

/** SQL: whether `value`, of an id type normalized as `kind`, is an organisation line by prior. */
function lineOfKind(ctx: IdentityContext, kind: IdType['normalize'], value: string): string | undefined {
  const { d } = ctx;
  if (kind === 'email') return d.regexpMatches(value, `^(${ROLE_LOCAL_PARTS.join('|')})@`);
  if (kind === 'phone')
    return `${d.substring(value, 1, 5)} IN (${TOLL_FREE_PREFIXES.map((p) => d.literal(p)).join(', ')})`;
  return undefined;
}

/** SQL: whether (x_type, x_value) is an organisation line by prior (role mailbox, toll-free phone). */
function organisationLineSql(ctx: IdentityContext): string {
  const parts = ctx.types.flatMap((t) => {
    const line = lineOfKind(ctx, t.normalize, 'x_value');
    return line ? [`(x_type = ${ctx.d.literal(t.name)} AND ${line})`] : [];
  });
  return parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`;
}

/**
 * SQL deciding whether value (x_type, x_value) with `strong` strong blocks, `all` blocks,
 * `names` distinct names and `bare` bare rows is shared: strong blocks reach the type's
 * threshold; or, the organisation prior, a role mailbox or toll-free phone whose blocks, weak
 * ones included, reach role_mailbox_threshold, with two names, or on a bare row.
 */
function isSharedSql(ctx: IdentityContext, strong: string, all: string, names: string, bare: string): string {
  const role = ctx.config.role_mailbox_threshold;
  const byType = perTypeCase(ctx, 'x_type', (t) => String(t.sharedThreshold));
  const prior = `(${organisationLineSql(ctx)} AND (${all} >= ${role} OR ${names} >= 2 OR ${bare} > 0))`;
  // distinct names on the rows, with partners that never co-occur: people, not spellings
  const named = `(${names} >= ${ctx.config.shared_names_threshold} AND ${all} >= 2)`;
  return `(${strong} >= ${byType} OR ${prior} OR ${named})`;
}

/**
 * Per value: distinct names on its rows (sources with `names`) and whether an organisation line
 * is on a bare row (no other usable identifier on it but organisation lines: two colleagues of
 * one name, each filed under info@ and the desk line only, give info@ one partner and one name,
 * yet say nothing of which person wrote). Only rows with a name, or bare rows of
 * organisation lines, are read into the union.
 */
function namesSql(ctx: IdentityContext, rowSets: Array<{ rs: ResolvedSource; ref: RelationRef }>): string {
  const { d } = ctx;
  const parts = rowSets.flatMap(({ rs, ref }) =>
    rs.ids.flatMap((id) => {
      // every other identifier on the row is unusable or an organisation line itself
      const others = rs.ids
        .filter((o) => o !== id)
        .map((o) => {
          const otherLine = lineOfKind(ctx, o.type.normalize, o.norm);
          return otherLine ? `(${o.reason} IS NOT NULL OR ${otherLine})` : `${o.reason} IS NOT NULL`;
        });
      const line = lineOfKind(ctx, id.type.normalize, id.norm);
      const bare = line ? [...others, line].join(' AND ') : undefined;
      const reads = [rs.source.names ? 'name_key IS NOT NULL' : undefined, bare].filter(
        (c) => c !== undefined,
      );
      if (reads.length === 0) return [];
      const name = rs.source.names ? 'name_key' : d.cast('NULL', 'string');
      return [
        `SELECT ${d.literal(id.type.name)} AS x_type, ${id.norm} AS x_value, ${name} AS name_key,
           ${bare ? `CASE WHEN ${bare} THEN 1 ELSE 0 END` : '0'} AS bare
         FROM ${ctx.q(ref)} w WHERE ${id.reason} IS NULL AND (${reads.join(' OR ')})`,
      ];
    }),
  );
  const cols = [
    ...['x_type', 'x_value', 'name_key'].map((name) => ({ name, type: 'string' as const })),
    { name: 'bare', type: 'bigint' as const },
  ];
  return `SELECT x_type, x_value, count(DISTINCT name_key) AS names, max(bare) AS bare
    FROM (${unionAll(ctx, parts, cols)}) n GROUP BY x_type, x_value`;
}

/** What findShared leaves behind: the shared values, and the distinct pairs they were read from. */
export interface SharedFound {
  /** Work table (id_type, id_value, persons): the shared values. */
  shared: RelationRef;
  /**
   * Work table (x_type, x_value, y_type, y_value): the distinct pairs of usable identifiers sharing
   * a row, one direction only, x of the type of higher priority.
   */
  pairs: RelationRef;
}

/**
 * SQL: whether value (x_type, x_value) with `partners` partners could be shared at all, so its
 * blocks are worth counting. Blocks never outnumber partners and strong blocks never outnumber
 * blocks, so a value below its type's threshold can only be shared by the organisation prior or
 * by names (isSharedSql); the rest (nearly every value: one person's email, phone and card) is
 * settled here, sparing the block search over its partners.
 */
function candidateSql(ctx: IdentityContext, partners: string, names: string): string {
  const byType = perTypeCase(ctx, 'x_type', (t) => String(t.sharedThreshold));
  const named = `${names} >= ${ctx.config.shared_names_threshold}`;
  return `(${partners} >= 2 AND (${partners} >= ${byType} OR ${organisationLineSql(ctx)} OR ${named}))`;
}

/** Every work table findShared writes (its `shared` and `pairs` included), for dropping them once read. */
export const SHARED_WORK = [
  'sh_pairs',
  'sh_names',
  'sh_degree',
  'sh_nb',
  'sh_links',
  ...componentWork('sh_cc'),
  'shared_found',
];

/**
 * Finds the shared values over the rows of `rowSets` (wide tables: each source's, possibly
 * several per source). Writes work tables `shared_found` (id_type, id_value, persons) and
 * `sh_pairs` (the distinct pairs, one direction, which a full build also counts hubs from).
 */
export async function findShared(
  ctx: IdentityContext,
  rowSets: Array<{ rs: ResolvedSource; ref: RelationRef }>,
): Promise<SharedFound> {
  const parts = rowSets.flatMap(({ rs, ref }) => rowPairs(ctx, rs, ctx.q(ref)));
  const pairs = await workTable(
    ctx,
    'sh_pairs',
    `SELECT DISTINCT x_type, x_value, y_type, y_value FROM (${unionAll(ctx, parts, PAIR_COLUMNS)}) p`,
  );
  // distinct in one direction (half the rows to hash), read in both below
  const pq = `(${bothDirections(ctx, pairs)})`;
  const names = await workTable(ctx, 'sh_names', namesSql(ctx, rowSets));
  // partners per value, and whether the value is a candidate (candidateSql) whose blocks are counted
  const degree = await workTable(
    ctx,
    'sh_degree',
    `SELECT x_type, x_value, partners, ${candidateSql(ctx, 'partners', 'names')} AS candidate
     FROM (SELECT c.x_type, c.x_value, c.partners, coalesce(n.names, 0) AS names
       FROM (SELECT x_type, x_value, count(*) AS partners FROM ${pq} u GROUP BY x_type, x_value) c
       LEFT JOIN ${ctx.q(names)} n ON n.x_type = c.x_type AND n.x_value = c.x_value) j`,
  );
  const dq = ctx.q(degree);
  // one node per (candidate x, partner y), numbered for the components in any order: only the
  // count of blocks per value leaves this step, so no sort of every pair is needed
  const nb = await workTable(
    ctx,
    'sh_nb',
    `SELECT row_number() OVER () AS node,
       p.x_type, p.x_value, p.y_type, p.y_value, (dy.partners >= 2) AS y_strong
     FROM ${pq} p
     JOIN ${dq} dx ON dx.x_type = p.x_type AND dx.x_value = p.x_value
     JOIN ${dq} dy ON dy.x_type = p.y_type AND dy.x_value = p.y_value
     WHERE dx.candidate`,
  );
  const nq = ctx.q(nb);
  // partners of one x that co-occur on some row are one block
  const links = await workTable(
    ctx,
    'sh_links',
    `SELECT DISTINCT least(n1.node, n2.node) AS a, greatest(n1.node, n2.node) AS b
     FROM ${pq} p
     JOIN ${nq} n1 ON n1.y_type = p.x_type AND n1.y_value = p.x_value
     JOIN ${nq} n2 ON n2.y_type = p.y_type AND n2.y_value = p.y_value
       AND n2.x_type = n1.x_type AND n2.x_value = n1.x_value`,
  );
  const cc = await connectedComponents(ctx, links, 'sh_cc');
  const blocks = `SELECT n.x_type, n.x_value, coalesce(m.root, n.node) AS block,
      count(*) AS members, max(CASE WHEN n.y_strong THEN 1 ELSE 0 END) AS strong_member
    FROM ${nq} n LEFT JOIN ${ctx.q(cc.map)} m ON m.node = n.node
    GROUP BY n.x_type, n.x_value, coalesce(m.root, n.node)`;
  const stats = `SELECT x_type, x_value, count(*) AS blocks,
      sum(CASE WHEN members >= 2 OR strong_member = 1 THEN 1 ELSE 0 END) AS strong
    FROM (${blocks}) b GROUP BY x_type, x_value`;
  const shared = await workTable(
    ctx,
    'shared_found',
    `SELECT x_type AS id_type, x_value AS id_value,
       CASE WHEN greatest(strong, names) > 1 THEN greatest(strong, names) ELSE blocks + bare END AS persons
     FROM (SELECT coalesce(s.x_type, n.x_type) AS x_type, coalesce(s.x_value, n.x_value) AS x_value,
         coalesce(s.blocks, 0) AS blocks, coalesce(s.strong, 0) AS strong, coalesce(n.names, 0) AS names,
         coalesce(n.bare, 0) AS bare
       FROM (${stats}) s FULL OUTER JOIN ${ctx.q(names)} n ON n.x_type = s.x_type AND n.x_value = s.x_value) v
     WHERE ${isSharedSql(ctx, 'strong', 'blocks', 'names', 'bare')}`,
  );
  return { shared, pairs };
}
