import type { CompiledModel } from '../compiler/compile.js';
import type { Warehouse } from '../warehouse/types.js';
import { materializeTable } from './materialize-table.js';
import type { MaterializeOutcome } from './materialize-view.js';
import {
  countRows,
  dropQuietly,
  relationColumns,
  relationKind,
  scratchRelation,
  selectColumns,
} from './relations.js';

/**
 * Incremental: the first build (or `fullRefresh`, or when no table exists) is a full table
 * build. Later builds render the model with `is_incremental` true, keep only rows that are not
 * already in the target (set difference), delete target rows with the same `unique_key`, and
 * insert those rows. `rows_written` counts only them, so a rerun with no new data writes 0.
 */
export async function materializeIncremental(
  warehouse: Warehouse,
  model: CompiledModel,
  options: { fullRefresh: boolean; renderIncremental: () => string },
): Promise<MaterializeOutcome> {
  const target = model.relation;
  if (options.fullRefresh || (await relationKind(warehouse, target)) !== 'table') {
    return materializeTable(warehouse, target, model.sql);
  }
  const { dialect } = warehouse;
  const incoming = scratchRelation(target, 'new');
  const changed = scratchRelation(target, 'changed');
  await dropQuietly(warehouse, [incoming, changed]);
  try {
    await warehouse.execute(dialect.createTableAs(incoming, options.renderIncremental()));
    const columns = await sameColumns(warehouse, model, incoming);
    const diff = dialect.except(
      selectColumns(warehouse, incoming, columns),
      selectColumns(warehouse, target, columns),
    );
    await warehouse.execute(dialect.createTableAs(changed, diff));
    const written = await countRows(warehouse, changed);
    if (written > 0) {
      // One transaction: a failed insert must not leave the replaced rows deleted.
      await warehouse.transaction(async () => {
        if (model.unique_key?.length)
          await warehouse.execute(dialect.deleteMatching(target, changed, model.unique_key));
        await warehouse.execute(
          dialect.insertSelect(target, columns, selectColumns(warehouse, changed, columns)),
        );
      });
    }
    return { rows_written: written, rows_total: await countRows(warehouse, target) };
  } finally {
    await dropQuietly(warehouse, [incoming, changed]);
  }
}

/** The column names both relations share, or an error asking for a full refresh when they differ. */
async function sameColumns(
  warehouse: Warehouse,
  model: CompiledModel,
  incoming: CompiledModel['relation'],
): Promise<string[]> {
  const before = await relationColumns(warehouse, model.relation);
  const after = await relationColumns(warehouse, incoming);
  const describe = (cols: typeof before) => cols.map((c) => `${c.name} ${c.type}`).join(', ');
  if (describe(before) !== describe(after)) {
    throw new Error(
      `the columns of ${model.name} changed since the table was built ` +
        `(was: ${describe(before)}; now: ${describe(after)}); run with --full-refresh to rebuild it`,
    );
  }
  return after.map((c) => c.name);
}
