/**
 * The wide work table of one source: one row per (new) source row with, per id column, the raw
 * text, the normalized value and why it is excluded (junk, invalid, blocklist), plus a view
 * adding hub flags. Every later step (occurrences, hub pairs, edges, row anchors) reads it.
 */
import type { Blocked } from './blocklist.js';
import type { IdentityContext } from './context.js';
import { junkCleanedCondition, junkValueCondition, matchesAny } from './junk.js';
import { NORMALIZE_STAGES, normalizerFor } from './normalize.js';
import { resolveFrom } from './relations.js';
import { rowFingerprintExpr, rowKeyExpr } from './row-key.js';
import type { ResolvedSource } from './source-columns.js';

/** SELECT row_key, fingerprint, seen_at, raw_<p>… over the source relation; identical rows (same key and content) count once. */
export function keyedRowsSql(ctx: IdentityContext, rs: ResolvedSource, distinct = true): string {
  const { d } = ctx;
  const rel = resolveFrom(ctx.project, rs.source.from);
  const seen = rs.source.timestamp ? d.quoteIdent(rs.source.timestamp) : 'NULL';
  const raws = rs.ids.map((id) => `${d.cast(d.quoteIdent(id.column), 'string')} AS ${id.raw}`);
  const names = rs.source.names ? [`${nameKeyExpr(ctx, rs.source.names)} AS name_key`] : [];
  return `SELECT ${distinct ? 'DISTINCT ' : ''}${rowKeyExpr(d, rs.source)} AS row_key, ${rowFingerprintExpr(d, rs.source)} AS fingerprint, ${d.cast(seen, 'timestamp')} AS seen_at, ${[...names, ...raws].join(', ')} FROM ${ctx.q(rel)}`;
}

/** The row's name for shared detection: the `names` columns lowercased, trimmed, space-joined; NULL when all are empty. */
function nameKeyExpr(ctx: IdentityContext, columns: string[]): string {
  const { d } = ctx;
  const parts = columns.map(
    (c) => `coalesce(lower(${d.trimChars(d.cast(d.quoteIdent(c), 'string'), ' \t\r\n')}), '')`,
  );
  return `NULLIF(${d.trimChars(parts.join(` || ' ' || `), ' ')}, '')`;
}

/** The columns every wide table row starts with: key, fingerprint, time, and the name when the source has `names`. */
export function baseColumns(rs: ResolvedSource): string[] {
  return ['row_key', 'fingerprint', 'seen_at', ...(rs.source.names ? ['name_key'] : [])];
}

/**
 * One pass comparing `keyed` (a keyed-rows query) with the state's processed rows: the source
 * rows not yet processed (`in_state` NULL, with every keyed column) and the processed rows no
 * longer in the source, deleted or changed (`in_source` NULL). A single FULL OUTER JOIN reads
 * each side once, where two anti-joins read both twice.
 */
export function rowDiffSql(ctx: IdentityContext, rs: ResolvedSource, keyed: string): string {
  const seenRows = ctx.q(ctx.state(`src_${rs.index}`));
  return `SELECT k.*, s.in_state FROM (SELECT *, TRUE AS in_source FROM (${keyed}) k0) k
    FULL OUTER JOIN (SELECT row_key, fingerprint, seen_at, TRUE AS in_state FROM ${seenRows}) s
      ON s.row_key = k.row_key AND s.fingerprint = k.fingerprint AND s.seen_at IS NOT DISTINCT FROM k.seen_at
    WHERE k.in_source IS NULL OR s.in_state IS NULL`;
}

/** The distinct new rows of a row diff (a work table from rowDiffSql), as a keyed-rows query. */
export function newRowsOfDiff(rs: ResolvedSource, diff: string): string {
  return `SELECT DISTINCT ${[...baseColumns(rs), ...rs.ids.map((id) => id.raw)].join(', ')} FROM ${diff} WHERE in_state IS NULL`;
}

/** The wide table's SELECT over `rows` (a query with row_key, fingerprint, seen_at and raw columns). */
export function wideSql(
  ctx: IdentityContext,
  rs: ResolvedSource,
  rows: string,
  blocked: Map<string, Blocked>,
): string {
  const { d } = ctx;
  const base = baseColumns(rs);
  const normalizers = rs.ids.map((id) => normalizerFor(d, id.type));
  const stage = (id: (typeof rs.ids)[number], i: number) =>
    i === NORMALIZE_STAGES - 1 ? id.norm : `s${i}_${id.type.priority}`;
  let sql = rows;
  for (let i = 0; i < NORMALIZE_STAGES; i++) {
    const cols = rs.ids.map((id, k) => {
      const previous = i === 0 ? id.raw : stage(id, i - 1);
      const expr = (normalizers[k]?.stages[i] ?? ((x: string) => x))(previous);
      // the cleaned form is computed one level after stage 0, from its output
      const c = `c_${id.type.priority}`;
      const cleaned =
        i === 0 ? '' : i === 1 ? `, ${normalizers[k]?.cleaned(stage(id, 0))} AS ${c}` : `, ${c}`;
      return `${id.raw}${cleaned}, ${expr} AS ${stage(id, i)}`;
    });
    sql = `SELECT ${[...base, ...cols].join(', ')} FROM (${sql}${d.fence()}) t${i}`;
  }
  const reasons = rs.ids.map((id) => {
    const list = blocked.get(id.type.name) ?? { values: [], globs: [] };
    const c = `c_${id.type.priority}`;
    // the raw text is kept only where it differs from the match key (rawOf() restores it)
    return `CASE WHEN ${id.raw} = ${id.norm} THEN NULL ELSE ${id.raw} END AS ${id.raw}, ${id.norm}, CASE WHEN ${id.raw} IS NULL THEN 'missing'
      WHEN ${junkCleanedCondition(d, id.type, c)} THEN 'junk'
      WHEN ${id.norm} IS NULL THEN 'invalid'
      WHEN ${junkValueCondition(d, id.type, id.norm)} THEN 'junk'
      WHEN ${matchesAny(d, id.norm, list.values, list.globs, id.type.normalize === 'email')} THEN 'blocklist' END AS ${id.reason}`;
  });
  // Fenced stages: each one's regexps run once, not once per reference in the next (Postgres).
  return `SELECT ${[...base, ...reasons].join(',\n  ')} FROM (${sql}${d.fence()}) normalized`;
}

/** A SELECT over the wide table adding `hub_<p>` flags from the state's hub list. */
export function flaggedSql(ctx: IdentityContext, rs: ResolvedSource, from: string): string {
  const hubs = ctx.q(ctx.state('hubs'));
  const flags = rs.ids.map(
    (id) =>
      `(h${id.type.priority}.id_value IS NOT NULL) AS ${id.hub}, h${id.type.priority}.reason AS ${id.hubReason}`,
  );
  const joins = rs.ids.map(
    (id) =>
      `LEFT JOIN ${hubs} h${id.type.priority} ON h${id.type.priority}.id_type = ${ctx.d.literal(id.type.name)} AND h${id.type.priority}.id_value = w.${id.norm}`,
  );
  return `SELECT w.*, ${flags.join(', ')} FROM ${from} w ${joins.join(' ')}`;
}

/** The wide table's columns, in order. */
export function wideColumns(rs: ResolvedSource): string[] {
  return [...baseColumns(rs), ...rs.ids.flatMap((id) => [id.raw, id.norm, id.reason])];
}

/** SQL for the raw text of an id column of a wide table (stored only where it differs from the match key). */
export function rawOf(id: { raw: string; norm: string }): string {
  return `coalesce(${id.raw}, ${id.norm})`;
}
