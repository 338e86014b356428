/**
 * A sync's `where:` filter against the warehouse: before the plan runs, a query that reads no
 * rows asks the engine whether the condition holds up over the source's columns, so a typo is
 * a config error naming the sync and its `where:` instead of a binder error inside the plan.
 */
import type { Warehouse } from '../../warehouse/types.js';
import { SyncConfigError } from '../resolve.js';
import type { ResolvedSync } from '../types.js';

/** Throws a SyncConfigError when the sync's `where:` does not run over its source. */
export async function checkWhere(warehouse: Warehouse, sync: ResolvedSync, columns: string[]): Promise<void> {
  const where = sync.config.where;
  if (where === undefined) return;
  const { dialect } = warehouse;
  try {
    await warehouse.query(`SELECT 1 AS ok FROM ${dialect.qualify(sync.source)} WHERE (${where}) LIMIT 0`);
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new SyncConfigError(
      `sync '${sync.config.name}': where: "${where}" does not run over ${sync.config.from} (columns: ${columns.join(', ')}): ${why}`,
    );
  }
}
