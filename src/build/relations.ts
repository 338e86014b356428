/** Small warehouse look-ups the materializations share. SQL comes from the dialect. */
import type { RelationKind, RelationRef, Warehouse } from '../warehouse/types.js';

/** Whether `ref` exists and as what. */
export async function relationKind(
  warehouse: Warehouse,
  ref: RelationRef,
): Promise<RelationKind | undefined> {
  const rows = await warehouse.query<{ kind: RelationKind }>(warehouse.dialect.relationKindQuery(ref));
  return rows[0]?.kind;
}

/** A relation's columns in ordinal order. */
export async function relationColumns(
  warehouse: Warehouse,
  ref: RelationRef,
): Promise<Array<{ name: string; type: string }>> {
  const rows = await warehouse.query<{ name: string; type: string }>(warehouse.dialect.columnsQuery(ref));
  return rows.map((row) => ({ name: String(row.name), type: String(row.type) }));
}

/** `count(*)` of a relation. */
export async function countRows(warehouse: Warehouse, ref: RelationRef): Promise<number> {
  const rows = await warehouse.query(`SELECT count(*) AS row_count FROM ${warehouse.dialect.qualify(ref)}`);
  return Number(rows[0]?.row_count ?? 0);
}

/** A scratch table next to `ref` (same schema), e.g. `orders__weft_new`. */
export function scratchRelation(ref: RelationRef, suffix: string): RelationRef {
  return { schema: ref.schema, name: `${ref.name}__weft_${suffix}` };
}

/** Drops scratch tables, ignoring failures (used in `finally`, where the first error matters). */
export async function dropQuietly(warehouse: Warehouse, refs: RelationRef[]): Promise<void> {
  for (const ref of refs) {
    try {
      await warehouse.execute(warehouse.dialect.dropRelation(ref, 'table'));
    } catch {
      // Best effort: the next build drops it before reuse anyway.
    }
  }
}

/** `SELECT "a", "b" FROM ref`, columns quoted by the dialect. */
export function selectColumns(warehouse: Warehouse, ref: RelationRef, columns: string[]): string {
  const list = columns.map((c) => warehouse.dialect.quoteIdent(c)).join(', ');
  return `SELECT ${list} FROM ${warehouse.dialect.qualify(ref)}`;
}
