/**
 * Opens a source database through knex: mysql2 for MySQL/MariaDB, pg for Postgres, tedious for
 * SQL Server (installed by the user). Values come back as exact text (or Buffers for binary
 * data), sessions run in UTC, and every error names the connection with its password masked.
 */
import type { Knex } from 'knex';
import type pg from 'pg';
import { LoadError } from '../write.js';
import { type SourceUrl, scrubPassword } from './url.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** A source failure: names the connection (password masked) and never carries the password. */
export function sourceError(source: SourceUrl, what: string, error: unknown): LoadError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  const detail = /^[A-Z_]+$/.test(String(code ?? '')) && !message.includes(String(code)) ? ` (${code})` : '';
  return new LoadError(`${what} ${source.masked}: ${scrubPassword(message, source)}${detail}`);
}

// mysql2 decodes these as text in the connection's charset; binary ones are told apart by the
// column's metadata later, so they come as Buffers and the plan decodes them.
const MYSQL_BYTE_TYPES = new Set([
  'BLOB',
  'TINY_BLOB',
  'MEDIUM_BLOB',
  'LONG_BLOB',
  'STRING',
  'VAR_STRING',
  'BIT',
  'GEOMETRY',
]);

function mysqlConnection(url: URL): Knex.MySql2ConnectionConfig {
  return {
    host: decodeURIComponent(url.hostname),
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    charset: 'utf8mb4',
    connectTimeout: CONNECT_TIMEOUT_MS,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    // Exact text for every value: no float parsing of DECIMAL, no JSON re-parsing, no Date.
    typeCast: (field: { type: string; string(): string | null; buffer(): Buffer | null }) =>
      MYSQL_BYTE_TYPES.has(field.type) ? field.buffer() : field.string(),
    ...(url.searchParams.get('ssl') === 'true' ? { ssl: {} } : {}),
  } as Knex.MySql2ConnectionConfig;
}

/** Every Postgres value as the server's text: numeric, int8, dates and timestamps stay exact. */
const textTypes = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

function mssqlConnection(url: URL): Knex.MsSqlConnectionConfig {
  return {
    server: decodeURIComponent(url.hostname),
    port: url.port ? Number(url.port) : 1433,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    options: {
      encrypt: url.searchParams.get('encrypt') !== 'false',
      trustServerCertificate: url.searchParams.get('trustServerCertificate') === 'true',
      useUTC: true,
    },
    connectionTimeout: CONNECT_TIMEOUT_MS,
  } as Knex.MsSqlConnectionConfig;
}

/** knex's own logging is silenced: every failure reaches the user once, through sourceError. */
const quiet = { warn() {}, error() {}, deprecate() {}, debug() {} };

function knexConfig(source: SourceUrl): Knex.Config {
  return { ...clientConfig(source), log: quiet };
}

function clientConfig(source: SourceUrl): Knex.Config {
  const url = new URL(source.url);
  const pool = { min: 0, max: 2 };
  if (source.client === 'mysql2') {
    return {
      client: 'mysql2',
      connection: mysqlConnection(url),
      pool: {
        ...pool,
        afterCreate: (
          conn: { query(sql: string, cb: (e: unknown) => void): void },
          done: (e: unknown, c: unknown) => void,
        ) => conn.query("SET time_zone = '+00:00'", (error) => done(error, conn)),
      },
      acquireConnectionTimeout: CONNECT_TIMEOUT_MS * 2,
    };
  }
  if (source.client === 'pg') {
    return {
      client: 'pg',
      connection: {
        connectionString: source.url,
        types: textTypes,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        options: '-c TimeZone=UTC -c DateStyle=ISO',
      } as Knex.PgConnectionConfig,
      pool,
      acquireConnectionTimeout: CONNECT_TIMEOUT_MS * 2,
    };
  }
  return {
    client: 'mssql',
    connection: mssqlConnection(url),
    pool,
    acquireConnectionTimeout: CONNECT_TIMEOUT_MS * 2,
  };
}

/** Opens and checks a connection: a wrong password or an unreachable host fails here, clearly. */
export async function connectSource(source: SourceUrl): Promise<Knex> {
  // Loaded here, not when weft starts: knex pulls in ~330 modules (lodash, tarn) that every
  // other command would pay for.
  const { default: knexFactory } = await import('knex');
  let knex: Knex;
  try {
    knex = knexFactory(knexConfig(source));
  } catch (error) {
    throw driverMissing(source, error) ?? sourceError(source, 'cannot open', error);
  }
  try {
    await knex.raw('SELECT 1');
    return knex;
  } catch (error) {
    await knex.destroy().catch(() => undefined);
    throw driverMissing(source, error) ?? sourceError(source, 'cannot connect to', error);
  }
}

function driverMissing(source: SourceUrl, error: unknown): LoadError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (
    source.client === 'mssql' &&
    /tedious/.test(message) &&
    /Cannot find|find module|install/i.test(message)
  ) {
    return new LoadError(
      `reading SQL Server (${source.masked}) needs its driver: run \`npm install tedious\` in the project, then load again`,
    );
  }
  return undefined;
}
