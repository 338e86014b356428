/**
 * Event conditions: per-profile counts of matching events, as a CTE the audience LEFT JOINs.
 * Rows reach a profile through identity_rows exactly as traits do (src/profiles/trait-sql.ts),
 * and comparing coalesce(count, 0) keeps profiles without any event for "did not" / "at most".
 */
import type { EventCondition } from '../config/schemas/audience.js';
import type { Project } from '../config/types.js';
import { resolveFrom } from '../identity/relations.js';
import { rowKeyExpr } from '../identity/row-key.js';
import { profiledRows } from '../profiles/trait-sql.js';
import type { Dialect, RelationRef } from '../warehouse/types.js';
import { comparison } from './operators.js';

/** The count column of an event CTE, and its profile column. */
export const EVENT_COUNT = 'weft_count';
export const EVENT_PROFILE = 'weft_profile_id';

const countOps = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * `SELECT weft_profile_id, count(*) AS weft_count …` over the event's rows that pass its
 * window and `where`, grouped per profile. Throws (a message for AudienceError) when the event
 * relation is not an identity source.
 */
export function eventCountsSelect(
  project: Project,
  dialect: Dialect,
  condition: EventCondition,
  identityRows: RelationRef,
  now: string,
): string {
  const sources = project.identity?.sources ?? [];
  const source = sources.find((s) => s.from === condition.event);
  if (!source) {
    const known = sources.map((s) => s.from).join(', ') || 'none';
    throw new Error(
      `event '${condition.event}' is not an identity source, so its rows belong to no profile (identity.yml sources: ${known})`,
    );
  }
  const input = {
    from: source.from,
    relation: resolveFrom(project, source.from),
    rowKey: rowKeyExpr(dialect, source),
  };
  const column = (name: string) => `weft_src.${dialect.quoteIdent(name)}`;
  const filters = (condition.where ?? []).map((w) =>
    comparison(dialect, column(w.column), w.op, w.value, now),
  );
  if (condition.within_days !== undefined && condition.timestamp !== undefined) {
    filters.unshift(
      comparison(dialect, column(condition.timestamp), 'within_days', condition.within_days, now),
    );
  }
  const rows = profiledRows(dialect, input, identityRows, `count(*) AS ${EVENT_COUNT}`);
  const where = filters.length === 0 ? '' : `\nWHERE ${filters.join('\n  AND ')}`;
  return `${rows}${where}\nGROUP BY weft_ir.profile_id`;
}

/** The boolean test on a joined count (`alias.weft_count`): every bound given, else at least one. */
export function countTest(condition: EventCondition, alias: string): string {
  const count = `coalesce(${alias}.${EVENT_COUNT}, 0)`;
  const bounds = Object.entries(condition.count ?? {})
    .filter((entry): entry is [keyof typeof countOps, number] => entry[1] !== undefined)
    .map(([op, n]) => `${count} ${countOps[op]} ${Math.trunc(n)}`);
  if (bounds.length === 0) return `${count} >= 1`;
  return bounds.length === 1 ? (bounds[0] as string) : `(${bounds.join(' AND ')})`;
}
