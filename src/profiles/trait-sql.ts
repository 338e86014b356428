/**
 * The SELECTs computing traits per profile: `(profile_id, <one column per trait>)`, one row per
 * profile that has a row in the source. Portable SQL (window functions, GROUP BY); identifiers
 * and literals go through the dialect.
 */
import type { Dialect, RelationRef } from '../warehouse/types.js';
import { withoutRefused } from './identifiers.js';
import type { PickRule, TraitInput } from './plan.js';
import type { TraitUnit } from './units.js';

/**
 * The unit's SELECT, reading source rows joined to `identityRows` (the identity_rows table), or
 * for a pick trait the already-joined rows in `shared` (from → scratch table) when there are.
 */
export function unitSelect(
  dialect: Dialect,
  unit: TraitUnit,
  identityRows: RelationRef,
  shared: ReadonlyMap<string, RelationRef> = new Map(),
): string {
  if (unit.kind === 'expr') {
    const [first] = unit.traits;
    if (!first) throw new Error('an aggregate unit needs a trait');
    const aggregates = unit.traits.map((t) => `${t.expr} AS ${dialect.quoteIdent(t.name)}`).join(',\n  ');
    const rows = profiledRows(dialect, first.input, identityRows, 'weft_src.*');
    // Plus one row with a NULL profile_id: the aggregates over no rows (count → 0, sum → NULL),
    // which profiles without any source row get.
    return `SELECT weft_profile_id AS profile_id,
  ${aggregates}
FROM (
${rows}
) AS weft_rows
GROUP BY weft_profile_id
UNION ALL
SELECT ${dialect.cast('NULL', 'string')} AS profile_id,
  ${aggregates}
FROM (
${rows}
) AS weft_rows
WHERE 1 = 0`;
  }
  const trait = unit.trait;
  const candidates = trait.inputs
    .map((input, priority) => {
      const order = input.orderColumn ? `weft_src.${dialect.quoteIdent(input.orderColumn)}` : 'NULL';
      const columns = `${priority} AS weft_priority, weft_src.${dialect.quoteIdent(trait.column)} AS weft_value, ${order} AS weft_order`;
      const joined = shared.get(input.from);
      const rows = joined
        ? `SELECT weft_src.weft_profile_id, ${columns} FROM ${dialect.qualify(joined)} AS weft_src`
        : profiledRows(dialect, input, identityRows, columns);
      return withoutRefused(dialect, rows, input.identifiers ?? []);
    })
    .join('\nUNION ALL\n');
  const picked = pickSelect(
    dialect,
    trait.pick,
    `SELECT * FROM (\n${candidates}\n) AS weft_all WHERE weft_value IS NOT NULL`,
  );
  return `SELECT profile_id, value AS ${dialect.quoteIdent(trait.name)} FROM (\n${picked}\n) AS weft_picked`;
}

/** Source rows that resolved to a profile: `weft_profile_id` plus `columns` of the row (`weft_src.…`). */
export function profiledRows(
  dialect: Dialect,
  input: TraitInput,
  identityRows: RelationRef,
  columns: string,
): string {
  return `SELECT weft_ir.profile_id AS weft_profile_id, ${columns}
FROM (SELECT *, ${dialect.cast(input.rowKey, 'string')} AS weft_row_key FROM ${dialect.qualify(input.relation)}) AS weft_src
JOIN ${dialect.qualify(identityRows)} AS weft_ir
  ON weft_ir.source = ${dialect.literal(input.from)} AND weft_ir.row_key = weft_src.weft_row_key`;
}

/**
 * Ranks non-null candidates per profile and keeps the first. Ties always end on the source's
 * priority and then the value's text, so the result never depends on row order.
 */
function pickSelect(dialect: Dialect, pick: PickRule, candidates: string): string {
  const valueText = dialect.cast('weft_value', 'string');
  if (pick === 'most_frequent') {
    const counted = `SELECT weft_profile_id, weft_value, count(*) AS weft_count, max(weft_order) AS weft_order, min(weft_priority) AS weft_priority
FROM (${candidates}) AS weft_candidates
GROUP BY weft_profile_id, weft_value`;
    return firstRanked(counted, `weft_count DESC, weft_order DESC NULLS LAST, weft_priority, ${valueText}`);
  }
  const ordering: Record<Exclude<PickRule, 'most_frequent'>, string> = {
    most_recent: `weft_order DESC NULLS LAST, weft_priority, ${valueText}`,
    first: `weft_order ASC NULLS LAST, weft_priority, ${valueText}`,
    source_priority: `weft_priority, weft_order DESC NULLS LAST, ${valueText}`,
  };
  return firstRanked(candidates, ordering[pick]);
}

function firstRanked(rows: string, orderBy: string): string {
  return `SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY ${orderBy}) AS weft_rank
  FROM (
${rows}
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1`;
}
