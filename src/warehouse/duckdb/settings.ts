/**
 * Engine settings of a duckdb warehouse block (weft.yml `warehouse.memory_limit`,
 * `warehouse.threads`), applied with SET when a warehouse opens. DuckDB's own defaults apply
 * when they are absent.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type WarehouseConnectionConfig, WarehouseError } from '../types.js';
import { duckdbDialect } from './dialect.js';

/** The SET statements for the block's engine settings (none when it sets nothing). */
export function settingStatements(config: WarehouseConnectionConfig): string[] {
  const statements: string[] = [];
  const { memory_limit: memoryLimit, threads } = config;
  if (memoryLimit !== undefined) {
    if (typeof memoryLimit !== 'string' || memoryLimit.trim() === '')
      throw new WarehouseError(
        `warehouse.memory_limit must be a size such as '512MB', got ${String(memoryLimit)}`,
      );
    statements.push(`SET memory_limit = ${duckdbDialect.literal(memoryLimit.trim())}`);
  }
  if (threads !== undefined) {
    if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1)
      throw new WarehouseError(`warehouse.threads must be a positive integer, got ${String(threads)}`);
    statements.push(`SET threads = ${threads}`);
  }
  return statements;
}

/**
 * Applies the settings on a connection. Both are database-wide: they hold for every warehouse
 * sharing this DuckDB instance (one per file within a process).
 */
export async function applySettings(
  connection: DuckDBConnection,
  config: WarehouseConnectionConfig,
): Promise<void> {
  for (const sql of settingStatements(config)) {
    try {
      await connection.run(sql);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new WarehouseError(`Invalid DuckDB setting (${sql}): ${message}`, sql, { cause: error });
    }
  }
}

/** What DuckDB may keep cached while `releaseMemory` drops its cache (the limit is this low for an instant). */
const EVICTION_FLOOR = '16MB';

/**
 * Hands memory back to the OS and returns the limit it re-applied. DuckDB keeps blocks of
 * tables it read cached (a streamed plan table, a scanned snapshot: they grow with the rows)
 * and freed memory stays resident (glibc malloc keeps it: a 1M-row join leaves 100-200 MB).
 * Setting the memory limit evicts down to it and trims the allocator, so with `evict` the
 * limit is set to a small floor for an instant (cached blocks of file-backed tables are simply
 * re-read when needed; failure to get that low, e.g. with uncheckpointed data in memory, is
 * harmless), then back: to `limit` when given (the configured one, exact), else to the current
 * one as DuckDB shows it (rounded to 0.1 of its unit; callers reuse the returned string, so it
 * shifts once). Call it when nothing else runs on the database: work started meanwhile on
 * another connection could meet the floor.
 */
export async function releaseDuckDBMemory(
  connection: DuckDBConnection,
  limit: string | undefined,
  evict: boolean,
): Promise<string> {
  let value = limit;
  if (value === undefined) {
    const reader = await connection.runAndReadAll("SELECT current_setting('memory_limit')");
    value = String(reader.getRows()[0]?.[0]);
  }
  try {
    if (evict) await connection.run(`SET memory_limit = '${EVICTION_FLOOR}'`);
  } catch {
    // Pinned or unevictable memory above the floor: the limit below still trims.
  } finally {
    await connection.run(`SET memory_limit = ${duckdbDialect.literal(value)}`);
  }
  return value;
}
