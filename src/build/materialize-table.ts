import type { RelationRef, Warehouse } from '../warehouse/types.js';
import type { MaterializeOutcome } from './materialize-view.js';
import { countRows, dropQuietly, relationKind, scratchRelation } from './relations.js';

/**
 * Builds `select` into a scratch table, then swaps it in: the old table is renamed aside,
 * the new one renamed into place, the old one dropped. A failing SELECT never touches the
 * existing relation; the swap is one transaction, so a failing swap leaves the old table.
 */
export async function materializeTable(
  warehouse: Warehouse,
  target: RelationRef,
  select: string,
): Promise<MaterializeOutcome> {
  const { dialect } = warehouse;
  const fresh = scratchRelation(target, 'tmp');
  const old = scratchRelation(target, 'old');
  await dropQuietly(warehouse, [fresh, old]);
  try {
    await warehouse.execute(dialect.createTableAs(fresh, select));
    const existing = await relationKind(warehouse, target);
    // One transaction: readers see the old relation or the new one, never neither.
    await warehouse.transaction(async () => {
      if (existing === 'view') await warehouse.execute(dialect.dropRelation(target, 'view'));
      if (existing === 'table') await warehouse.execute(dialect.renameTable(target, old.name));
      await warehouse.execute(dialect.renameTable(fresh, target.name));
    });
  } finally {
    await dropQuietly(warehouse, [fresh, old]);
  }
  const rows = await countRows(warehouse, target);
  return { rows_written: rows, rows_total: rows };
}
