/**
 * `<state_schema>.load_state`: one row per loaded table (`target`, e.g. `shop.orders`) holding
 * where the last incremental load stopped: the source (URL with the password masked, and the
 * table or query), the cursor column and the highest value read, as the source's exact text.
 */
import type { ColumnDef, RelationRef, Warehouse } from '../../warehouse/types.js';

/** Columns of `load_state`. */
export const LOAD_STATE_COLUMNS: ColumnDef[] = [
  { name: 'target', type: 'string' },
  { name: 'source', type: 'string' },
  { name: 'cursor_column', type: 'string' },
  { name: 'cursor_value', type: 'string' },
  { name: 'loaded_at', type: 'timestamp' },
  { name: 'rows_loaded', type: 'bigint' },
];

/** One stored cursor. */
export interface LoadState {
  target: string;
  source: string;
  cursor_column: string;
  cursor_value: string | null;
  loaded_at: Date;
  rows_loaded: number;
}

function table(stateSchema: string): RelationRef {
  return { schema: stateSchema, name: 'load_state' };
}

async function ensure(warehouse: Warehouse, stateSchema: string): Promise<RelationRef> {
  const d = warehouse.dialect;
  await warehouse.execute(d.createSchema(stateSchema));
  await warehouse.execute(d.createTable(table(stateSchema), LOAD_STATE_COLUMNS, { primaryKey: ['target'] }));
  return table(stateSchema);
}

/** The stored cursor of `target`, when one exists for the same source and cursor column. */
export async function readLoadState(
  warehouse: Warehouse,
  stateSchema: string,
  target: string,
): Promise<LoadState | undefined> {
  const d = warehouse.dialect;
  const ref = await ensure(warehouse, stateSchema);
  const [row] = await warehouse.query(
    `SELECT source, cursor_column, cursor_value FROM ${d.qualify(ref)} WHERE target = ${d.literal(target)}`,
  );
  if (!row) return undefined;
  return {
    target,
    source: String(row.source),
    cursor_column: String(row.cursor_column),
    cursor_value: row.cursor_value === null ? null : String(row.cursor_value),
    loaded_at: new Date(0),
    rows_loaded: 0,
  };
}

/** Records where `state.target`'s load stopped (replacing the previous row), in one transaction. */
export async function writeLoadState(
  warehouse: Warehouse,
  stateSchema: string,
  state: LoadState,
): Promise<void> {
  const d = warehouse.dialect;
  const ref = await ensure(warehouse, stateSchema);
  const values = [
    state.target,
    state.source,
    state.cursor_column,
    state.cursor_value,
    state.loaded_at,
    state.rows_loaded,
  ];
  await warehouse.transaction(async () => {
    await warehouse.execute(`DELETE FROM ${d.qualify(ref)} WHERE target = ${d.literal(state.target)}`);
    await warehouse.execute(
      `INSERT INTO ${d.qualify(ref)} (${LOAD_STATE_COLUMNS.map((c) => d.quoteIdent(c.name)).join(', ')}) VALUES (${values.map((v) => d.literal(v)).join(', ')})`,
    );
  });
}
