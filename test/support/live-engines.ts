/**
 * The warehouses tests can run on: every registered engine that is reachable here. DuckDB in
 * memory always; Postgres from WEFT_TEST_POSTGRES_URL or, by default,
 * postgres://postgres@127.0.0.1:5432/test when a server answers there; other engines when
 * WEFT_TEST_<NAME>_URL is set. An unreachable Postgres skips its cases with a printed reason,
 * unless WEFT_REQUIRE_PG=1 (CI), which makes it a failure.
 * Looping over this makes a newly registered engine tested the moment it is registered.
 * Tests on a server share one database across parallel files: use `uniqueSchema` and drop it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { registeredEngines } from '../../src/warehouse/registry.js';
import type { WarehouseConnectionConfig, WarehouseEngine } from '../../src/warehouse/types.js';
import { startBigQueryEmulator } from './bigquery-emulator/index.js';
import { emulatorConfig as bigqueryEmulatorConfig } from './bigquery-emulator/open.js';
import { passwordConfig as snowflakeEmulatorConfig } from './snowflake-emulator/config.js';
import { startSnowflakeEmulator } from './snowflake-emulator/index.js';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function probePostgres(): Promise<{ url: string } | { reason: string }> {
  const url = process.env.WEFT_TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url };
  } catch (error) {
    const shown = url.replace(/:[^:@/]*@/, ':***@');
    return { reason: `Postgres at ${shown} is not reachable (${(error as Error).message})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgresProbe = await probePostgres();
if ('reason' in postgresProbe) {
  if (process.env.WEFT_REQUIRE_PG === '1') throw new Error(`WEFT_REQUIRE_PG=1 but ${postgresProbe.reason}`);
  console.warn(`Skipping the Postgres cases: ${postgresProbe.reason}`);
}

/** The live Postgres config for tests, or undefined (reason printed) when none is reachable. */
export function postgresTestConfig(): WarehouseConnectionConfig | undefined {
  return 'url' in postgresProbe ? { type: 'postgres', url: postgresProbe.url } : undefined;
}

/**
 * BigQuery and Snowflake cannot run here: unless WEFT_TEST_BIGQUERY_URL / WEFT_TEST_SNOWFLAKE_URL
 * name real ones, the live cases run weft's real clients against the local endpoints
 * (test/support/bigquery-emulator, test/support/snowflake-emulator), which execute the SQL on
 * DuckDB through polyglot. Started once per test file that imports this.
 */
const bigqueryEmulator = process.env.WEFT_TEST_BIGQUERY_URL ? undefined : await startBigQueryEmulator();
const snowflakeEmulator = process.env.WEFT_TEST_SNOWFLAKE_URL ? undefined : await startSnowflakeEmulator();
process.once('beforeExit', () => {
  void bigqueryEmulator?.close().catch(() => undefined);
  void snowflakeEmulator?.close().catch(() => undefined);
});

/**
 * Whether `engine`'s sessions fold unquoted and quoted names to one case (Snowflake, see
 * src/warehouse/snowflake/index.ts), so a mixed-case alias comes back lower-case.
 */
export function foldsIdentifierCase(engine: WarehouseEngine): boolean {
  return engine.name === 'snowflake';
}

/** A connection config for `engine` when a live one is available, else undefined. */
export function liveConfig(engine: WarehouseEngine): WarehouseConnectionConfig | undefined {
  if (engine.name === 'duckdb') return { type: 'duckdb', path: ':memory:' };
  if (engine.name === 'postgres') return postgresTestConfig();
  if (engine.name === 'bigquery' && bigqueryEmulator) return bigqueryEmulatorConfig(bigqueryEmulator);
  if (engine.name === 'snowflake' && snowflakeEmulator) return snowflakeEmulatorConfig(snowflakeEmulator);
  const url = process.env[`WEFT_TEST_${engine.name.toUpperCase()}_URL`];
  return url ? { type: engine.name, url } : undefined;
}

/** Every registered engine with a live config. */
export function liveEngines(): Array<{ engine: WarehouseEngine; config: WarehouseConnectionConfig }> {
  return registeredEngines().flatMap((engine) => {
    const config = liveConfig(engine);
    return config ? [{ engine, config }] : [];
  });
}

/** A schema name no other test (or parallel test file) uses: `prefix_<random>`. Drop it when done. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}
