/** `<state_schema>.load_schedule_state`: the last cron slot each scheduled load ran for. */
import type { ColumnDef, RelationRef, Warehouse } from '../warehouse/types.js';

const COLUMNS: ColumnDef[] = [
  { name: 'load', type: 'string' },
  { name: 'last_slot', type: 'timestamp' },
];

async function ensure(warehouse: Warehouse, stateSchema: string): Promise<RelationRef> {
  const ref = { schema: stateSchema, name: 'load_schedule_state' };
  await warehouse.execute(warehouse.dialect.createSchema(stateSchema));
  await warehouse.execute(warehouse.dialect.createTable(ref, COLUMNS, { primaryKey: ['load'] }));
  return ref;
}

/** Load name → the last slot it ran for. */
export async function readLoadSlots(warehouse: Warehouse, stateSchema: string): Promise<Map<string, Date>> {
  const d = warehouse.dialect;
  const ref = await ensure(warehouse, stateSchema);
  const rows = await warehouse.query(
    `SELECT ${d.quoteIdent('load')} AS name, last_slot FROM ${d.qualify(ref)}`,
  );
  return new Map(
    rows.map((r) => [
      String(r.name),
      r.last_slot instanceof Date ? r.last_slot : new Date(`${String(r.last_slot).replace(' ', 'T')}Z`),
    ]),
  );
}

/** Records that `load` ran for `slot`. */
export async function recordLoadSlot(
  warehouse: Warehouse,
  stateSchema: string,
  load: string,
  slot: Date,
): Promise<void> {
  const d = warehouse.dialect;
  const ref = await ensure(warehouse, stateSchema);
  await warehouse.transaction(async () => {
    await warehouse.execute(
      `DELETE FROM ${d.qualify(ref)} WHERE ${d.quoteIdent('load')} = ${d.literal(load)}`,
    );
    await warehouse.execute(
      `INSERT INTO ${d.qualify(ref)} (${d.quoteIdent('load')}, last_slot) VALUES (${d.literal(load)}, ${d.literal(slot)})`,
    );
  });
}
