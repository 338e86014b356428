import { DuckDBInstance } from '@duckdb/node-api';
import { endThreadTurn, takeThreadTurn } from './thread-turns.js';

interface CachedInstance {
  instance: Promise<DuckDBInstance>;
  users: number;
}

// DuckDB lets one process open the same file twice as two independent databases, which
// corrupts it. Warehouses opened on one file within this process therefore share an instance,
// closed when its last user releases it. Threads take turns holding files (thread-turns.ts).
const instancesByPath = new Map<string, CachedInstance>();

/** Opens (or shares) the DuckDB instance for an absolute path; `:memory:` is never shared. */
export async function acquireInstance(databasePath: string): Promise<DuckDBInstance> {
  if (databasePath === ':memory:') return DuckDBInstance.create(':memory:');
  const cached = instancesByPath.get(databasePath);
  if (cached) {
    cached.users += 1;
    return cached.instance;
  }
  const entry: CachedInstance = { instance: openTakingTurn(databasePath), users: 1 };
  instancesByPath.set(databasePath, entry);
  try {
    return await entry.instance;
  } catch (error) {
    instancesByPath.delete(databasePath);
    throw error;
  }
}

/** Releases one use of an instance; the last release closes it and frees the file lock. */
export function releaseInstance(databasePath: string, instance: DuckDBInstance): void {
  const cached = instancesByPath.get(databasePath);
  if (!cached || databasePath === ':memory:') {
    instance.closeSync();
    return;
  }
  cached.users -= 1;
  if (cached.users === 0) {
    instancesByPath.delete(databasePath);
    try {
      instance.closeSync();
    } finally {
      endThreadTurn();
    }
  }
}

async function openTakingTurn(databasePath: string): Promise<DuckDBInstance> {
  await takeThreadTurn();
  try {
    return await DuckDBInstance.create(databasePath);
  } catch (error) {
    endThreadTurn();
    throw error;
  }
}
