import type { PoolConfig } from 'pg';
import type { WarehouseConnectionConfig } from '../types.js';
import { postgresTypes } from './read-values.js';

/** Pool settings plus how to name the server in messages (never with the password). */
export interface PostgresTarget {
  pool: PoolConfig;
  shown: string;
}

const DEFAULT_MAX_CONNECTIONS = 10;

/**
 * Session settings for weft's set-based SQL (measured on the 100k-people demo: bench/RESULTS.md):
 * - `work_mem` (per sort or hash, per connection): at the 4MB default the identity stage's
 *   GROUP BYs over ~1.5M edge rows spill to disk in batches (that step: 15 s → 3.5–6 s);
 * - `temp_buffers`: identity rounds keep their scratch in session temp tables, which outgrow
 *   the 8MB default at once (the buffers are allocated only as temp tables fill them);
 * - `jit`: compiling a big statement costs ~0.3 s and sped none of weft's statements up.
 * libpq's PGOPTIONS comes after them, so it can override any (`-c work_mem=256MB`).
 */
const TUNING = ['-c work_mem=64MB', '-c temp_buffers=256MB', '-c jit=off'];

/** Startup options: the tuning, then PGOPTIONS, then UTC (not overridable: weft's timestamps rely on it). */
export function sessionOptions(pgOptions: string | undefined = process.env.PGOPTIONS): string {
  return [...TUNING, pgOptions?.trim(), '-c TimeZone=UTC'].filter(Boolean).join(' ');
}

/**
 * Reads `url` (`postgres://user:password@host:port/database`) or the `host`, `port`,
 * `database`, `user`, `password` settings (the URL wins; libpq's PG* variables fill gaps, as
 * pg does), plus `max_connections` (pool size, default 10). Sessions run in UTC so timestamp
 * text and `current_timestamp` casts never depend on the server's zone, with `sessionOptions`.
 */
export function postgresTarget(config: WarehouseConnectionConfig): PostgresTarget {
  const text = (key: string) => (typeof config[key] === 'string' ? (config[key] as string) : undefined);
  const port = config.port === undefined ? undefined : Number(config.port);
  const pool: PoolConfig = {
    connectionString: config.url,
    host: text('host'),
    port,
    database: text('database'),
    user: text('user'),
    password: text('password'),
    max: typeof config.max_connections === 'number' ? config.max_connections : DEFAULT_MAX_CONNECTIONS,
    options: sessionOptions(),
    application_name: 'weft',
    types: postgresTypes,
  };
  return { pool, shown: shownTarget(config) };
}

function shownTarget(config: WarehouseConnectionConfig): string {
  if (config.url) {
    try {
      const url = new URL(config.url);
      return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname || '/'}`;
    } catch {
      return 'the configured Postgres URL';
    }
  }
  const host = typeof config.host === 'string' ? config.host : (process.env.PGHOST ?? 'localhost');
  const port = config.port ?? process.env.PGPORT ?? 5432;
  const database = typeof config.database === 'string' ? config.database : (process.env.PGDATABASE ?? '');
  return `${host}:${port}/${database}`;
}
