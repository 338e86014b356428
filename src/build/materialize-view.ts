import type { CompiledModel } from '../compiler/compile.js';
import type { Warehouse } from '../warehouse/types.js';
import { countRows, relationKind, scratchRelation } from './relations.js';

/** Rows a materialization wrote and the relation's size afterwards. */
export interface MaterializeOutcome {
  rows_written: number | null;
  rows_total: number;
}

/**
 * `CREATE OR REPLACE VIEW`. A table of the same name must be dropped first; the SQL is then
 * tried as a scratch view beforehand so a broken model never costs the old table.
 * Reports the view's row count.
 */
export async function materializeView(
  warehouse: Warehouse,
  model: CompiledModel,
): Promise<MaterializeOutcome> {
  const { dialect } = warehouse;
  if ((await relationKind(warehouse, model.relation)) === 'table') {
    const check = scratchRelation(model.relation, 'check');
    await warehouse.execute(dialect.createView(check, model.sql));
    await warehouse.execute(dialect.dropRelation(check, 'view'));
    await warehouse.execute(dialect.dropRelation(model.relation, 'table'));
  }
  await warehouse.execute(dialect.createView(model.relation, model.sql));
  return { rows_written: null, rows_total: await countRows(warehouse, model.relation) };
}
