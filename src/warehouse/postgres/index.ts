import pg from 'pg';
import type { WarehouseConnectionConfig, WarehouseEngine } from '../types.js';
import { postgresTarget } from './connection-config.js';
import { dialectForServer, postgresDialect } from './dialect.js';
import { openError } from './open-error.js';
import { PostgresWarehouse } from './warehouse.js';

/**
 * The Postgres engine (15+). `config.url` (`postgres://user:password@host:port/database`) or
 * `host`/`port`/`database`/`user`/`password` pick the server; opening connects once, so a
 * wrong address or password fails here with a WarehouseError telling what to check.
 */
export const postgresEngine: WarehouseEngine = {
  name: 'postgres',
  dialect: postgresDialect,
  async open(config: WarehouseConnectionConfig) {
    const target = postgresTarget(config);
    const pool = new pg.Pool(target.pool);
    // An idle pooled connection dropped by the server must not crash the process.
    pool.on('error', () => undefined);
    try {
      const session = await pool.connect();
      const version = await session.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      return new PostgresWarehouse(pool, session, target.shown, dialectForServer(Number(version.rows[0]?.v)));
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw openError(error, target.shown);
    }
  },
};

export { dialectForServer, postgres14Dialect, postgresDialect } from './dialect.js';
export { PostgresWarehouse } from './warehouse.js';
