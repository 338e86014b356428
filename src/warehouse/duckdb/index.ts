import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { WarehouseConnectionConfig, WarehouseEngine } from '../types.js';
import { ensureParentDirectory, resolveDatabaseLocation } from './database-path.js';
import { duckdbDialect } from './dialect.js';
import { releaseInstance } from './instance-cache.js';
import { acquireWaitingForLock, lockTimeoutMs } from './lock-wait.js';
import { openError } from './open-error.js';
import { applySettings } from './settings.js';
import { DuckDBWarehouse } from './warehouse.js';

/**
 * The embedded DuckDB engine. `config.path` (relative to the project dir, default
 * `.weft/warehouse.duckdb`, or `:memory:`) or a `duckdb://` `config.url` picks the file;
 * its parent directory is created. A file locked by another weft process is waited for (up to
 * `lock_timeout` seconds, lock-wait.ts); one locked by anything else fails at once, with a
 * WarehouseError naming that process. `memory_limit` / `threads` are applied with SET (settings.ts).
 */
export const duckdbEngine: WarehouseEngine = {
  name: 'duckdb',
  dialect: duckdbDialect,
  async open(config: WarehouseConnectionConfig, options: { projectDir: string }) {
    const location = resolveDatabaseLocation(config, options.projectDir);
    const timeoutMs = lockTimeoutMs(config);
    try {
      ensureParentDirectory(location);
    } catch (error) {
      throw openError(error, location.shownPath);
    }
    const instance: DuckDBInstance = await acquireWaitingForLock(
      location.databasePath,
      location.shownPath,
      timeoutMs,
    );
    let connection: DuckDBConnection;
    try {
      connection = await instance.connect();
    } catch (error) {
      releaseInstance(location.databasePath, instance);
      throw openError(error, location.shownPath);
    }
    try {
      await applySettings(connection, config);
    } catch (error) {
      connection.disconnectSync();
      releaseInstance(location.databasePath, instance);
      throw error;
    }
    const memoryLimit = typeof config.memory_limit === 'string' ? config.memory_limit.trim() : undefined;
    return new DuckDBWarehouse(instance, connection, location.databasePath, location.shownPath, memoryLimit);
  },
};

export { duckdbDialect } from './dialect.js';
export { DuckDBWarehouse } from './warehouse.js';
