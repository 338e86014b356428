import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { WarehouseConnectionConfig, WarehouseEngine } from '../types.js';
import { ensureParentDirectory, resolveDatabaseLocation } from './database-path.js';
import { duckdbDialect } from './dialect.js';
import { acquireInstance, releaseInstance } from './instance-cache.js';
import { openError } from './open-error.js';
import { DuckDBWarehouse } from './warehouse.js';

/**
 * The embedded DuckDB engine. `config.path` (relative to the project dir, default
 * `.weft/warehouse.duckdb`, or `:memory:`) or a `duckdb://` `config.url` picks the file;
 * its parent directory is created. A file locked by another process fails with a
 * WarehouseError naming that process.
 */
export const duckdbEngine: WarehouseEngine = {
  name: 'duckdb',
  dialect: duckdbDialect,
  async open(config: WarehouseConnectionConfig, options: { projectDir: string }) {
    const location = resolveDatabaseLocation(config, options.projectDir);
    let instance: DuckDBInstance;
    try {
      ensureParentDirectory(location);
      instance = await acquireInstance(location.databasePath);
    } catch (error) {
      throw openError(error, location.shownPath);
    }
    let connection: DuckDBConnection;
    try {
      connection = await instance.connect();
    } catch (error) {
      releaseInstance(location.databasePath, instance);
      throw openError(error, location.shownPath);
    }
    return new DuckDBWarehouse(instance, connection, location.databasePath, location.shownPath);
  },
};

export { duckdbDialect } from './dialect.js';
export { DuckDBWarehouse } from './warehouse.js';
