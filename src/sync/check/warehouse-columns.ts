/**
 * The warehouse side of `weft validate`'s column check: opens the warehouse only when it is
 * there to read (a DuckDB file that exists, never created; another engine that answers within a
 * few seconds) and never waits for a DuckDB file another weft process holds.
 */
import fs from 'node:fs';
import { relationColumns } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import { resolveDatabaseLocation } from '../../warehouse/duckdb/database-path.js';
import { openWarehouse } from '../../warehouse/registry.js';
import type { Warehouse } from '../../warehouse/types.js';
import { sourceRelation } from '../resolve.js';
import { type ColumnsOf, caseInsensitive, projectColumns } from './columns.js';
import { selectListColumns } from './select-list.js';

/** How long validate waits for a warehouse other than DuckDB to answer. */
const REACH_TIMEOUT_MS = 5_000;

/** The project's warehouse if it can be read right now, else undefined with why. */
export async function reachableWarehouse(project: Project): Promise<{ warehouse?: Warehouse; why?: string }> {
  const config = project.config.warehouse;
  if (config.type === 'duckdb') {
    const { databasePath, shownPath } = resolveDatabaseLocation(config, project.dir);
    if (databasePath === ':memory:' || !fs.existsSync(databasePath))
      return { why: `${shownPath} is not built yet (\`weft build\` builds it)` };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const open = (async () => {
      const warehouse = await openWarehouse({ ...config, lock_timeout: 0 }, { projectDir: project.dir });
      try {
        await warehouse.query('SELECT 1 AS ok');
        return warehouse;
      } catch (error) {
        await warehouse.close().catch(() => undefined);
        throw error;
      }
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${REACH_TIMEOUT_MS / 1000} s`)),
        REACH_TIMEOUT_MS,
      );
    });
    // A late answer after the timeout is closed, not leaked.
    open.then(
      (w) => (timer ? undefined : w.close()),
      () => undefined,
    );
    return { warehouse: await Promise.race([open, timeout]) };
  } catch (error) {
    return { why: (error instanceof Error ? error.message : String(error)).split('\n')[0] };
  } finally {
    clearTimeout(timer);
    timer = undefined;
  }
}

/**
 * Columns from the project where it knows them (profiles, audiences' `columns:`, a model's explicit
 * SELECT list in `compiled`, the models' rendered SQL), else from the warehouse (undefined when
 * it is not built or not reachable).
 */
export function columnsOf(
  project: Project,
  warehouse: Warehouse | undefined,
  compiled: ReadonlyArray<{ name: string; sql: string }> = [],
): ColumnsOf {
  const cache = new Map<string, Promise<string[] | undefined>>();
  const lookup = async (from: string): Promise<string[] | undefined> => {
    const known = projectColumns(project, from);
    if (known) return known;
    // The model as the files say now (a built warehouse may hold an older version of it).
    const model = compiled.find((m) => m.name === from);
    const selected = model && selectListColumns(model.sql, project.config.warehouse.type);
    if (selected) {
      const names = [...selected.names];
      if (!selected.exactCase) caseInsensitive.add(names);
      return names;
    }
    if (!warehouse) return undefined;
    let relation: ReturnType<typeof sourceRelation>;
    try {
      relation = sourceRelation(project, from);
    } catch {
      return undefined; // an unknown `from` is reported by the reference checks
    }
    const columns = (await relationColumns(warehouse, relation)).map((c) => c.name);
    return columns.length > 0 ? columns : undefined;
  };
  return (from) => {
    let found = cache.get(from);
    if (!found) {
      found = lookup(from);
      cache.set(from, found);
    }
    return found;
  };
}
