/**
 * Which warehouse the trigger journal belongs to: a random id kept in the warehouse itself
 * (`<state_schema>.warehouse_instance`, one row), so a project pointed at another warehouse, or
 * at a warehouse recreated at the same place (a new DuckDB file, a dropped state schema), is told
 * apart from the one the journal was filled from, whatever the connection settings say.
 */
import { randomUUID } from 'node:crypto';
import type { Warehouse } from '../../warehouse/types.js';

/** The warehouse's instance id in `stateSchema`, created on first use. */
export async function warehouseInstanceId(warehouse: Warehouse, stateSchema: string): Promise<string> {
  const d = warehouse.dialect;
  const table = { schema: stateSchema, name: 'warehouse_instance' };
  const t = d.qualify(table);
  await warehouse.execute(d.createSchema(stateSchema));
  await warehouse.execute(d.createTable(table, [{ name: 'instance_id', type: 'string' }]));
  await warehouse.execute(
    `INSERT INTO ${t} (instance_id) SELECT ${d.literal(randomUUID())} WHERE NOT EXISTS (SELECT 1 FROM ${t})`,
  );
  // Two processes starting at once may both insert: every reader picks the same one.
  const [row] = await warehouse.query(`SELECT min(instance_id) AS id FROM ${t}`);
  if (row?.id === null || row?.id === undefined) throw new Error(`${t} holds no instance id`);
  return String(row.id);
}
