/** `WEFT_WAREHOUSE_URL`: one string that replaces weft.yml's `warehouse:` block. */
import type { WarehouseConnectionConfig } from '../warehouse/types.js';

/** The result of reading a warehouse URL: a config (plus secrets in it) or an error message. */
export type WarehouseUrlResult =
  | { ok: true; warehouse: WarehouseConnectionConfig; secrets: string[] }
  | { ok: false; message: string };

/**
 * Accepts `duckdb:///abs/path.duckdb`, `duckdb:relative/path.duckdb`, `duckdb::memory:`,
 * `duckdb://:memory:` (also `duckdb://relative/path`), `postgres://…` / `postgresql://…`,
 * `bigquery://project?location=EU&api_endpoint=…` and
 * `snowflake://user:password@account/database?warehouse=…&role=…&access_url=…`.
 */
export function parseWarehouseUrl(url: string): WarehouseUrlResult {
  const trimmed = url.trim();
  if (/^duckdb:/i.test(trimmed)) {
    let path = trimmed.slice('duckdb:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '')
      return {
        ok: false,
        message: 'WEFT_WAREHOUSE_URL: duckdb URL has no path (e.g. duckdb:///abs/file.duckdb)',
      };
    return { ok: true, warehouse: { type: 'duckdb', path: decodeURI(path) }, secrets: [] };
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      // Never echo the URL: it may hold a password.
      return {
        ok: false,
        message: 'WEFT_WAREHOUSE_URL: not a valid postgres URL (postgres://user:password@host:port/db)',
      };
    }
    if (parsed.hostname === '') return { ok: false, message: 'WEFT_WAREHOUSE_URL: postgres URL has no host' };
    const secrets = parsed.password ? [trimmed, parsed.password, decodeURIComponent(parsed.password)] : [];
    return { ok: true, warehouse: { type: 'postgres', url: trimmed }, secrets };
  }
  if (/^bigquery:\/\//i.test(trimmed)) return parseBigQueryUrl(trimmed);
  if (/^snowflake:\/\//i.test(trimmed)) return parseSnowflakeUrl(trimmed);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1];
  return {
    ok: false,
    message:
      `WEFT_WAREHOUSE_URL: unsupported ${scheme ? `scheme '${scheme}:'` : 'value (no scheme)'}; ` +
      'expected duckdb:///abs/path.duckdb, duckdb:relative/path.duckdb, duckdb::memory:, postgres://…, bigquery://project or snowflake://user@account/database',
  };
}

/** Query parameters a URL may carry, by engine; anything else is refused by name. */
const urlParameters = {
  bigquery: ['location', 'dataset', 'key_file', 'maximum_bytes_billed', 'api_endpoint'],
  snowflake: ['warehouse', 'role', 'query_tag', 'access_url', 'private_key_path'],
} as const;

function queryParameters(
  parsed: URL,
  engine: keyof typeof urlParameters,
): { ok: true; values: Record<string, string> } | { ok: false; message: string } {
  const allowed: readonly string[] = urlParameters[engine];
  const values: Record<string, string> = {};
  for (const [key, value] of parsed.searchParams) {
    if (!allowed.includes(key)) {
      return {
        ok: false,
        message: `WEFT_WAREHOUSE_URL: unknown ${engine} parameter '${key}' (known: ${allowed.join(', ')})`,
      };
    }
    values[key] = value;
  }
  return { ok: true, values };
}

/** The URL of a cloud engine, its host (project / account) and parameters, or an error message. */
function parseCloudUrl(
  url: string,
  engine: keyof typeof urlParameters,
  shape: { example: string; host: string },
): { ok: true; parsed: URL; host: string; values: Record<string, string> } | { ok: false; message: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the URL: it may hold a password.
    return { ok: false, message: `WEFT_WAREHOUSE_URL: not a valid ${engine} URL (${shape.example})` };
  }
  if (parsed.hostname === '')
    return { ok: false, message: `WEFT_WAREHOUSE_URL: ${engine} URL has no ${shape.host}` };
  const params = queryParameters(parsed, engine);
  if (!params.ok) return params;
  return { ok: true, parsed, host: decodeURIComponent(parsed.hostname), values: params.values };
}

function parseBigQueryUrl(url: string): WarehouseUrlResult {
  const read = parseCloudUrl(url, 'bigquery', { example: 'bigquery://project?location=US', host: 'project' });
  if (!read.ok) return read;
  return { ok: true, warehouse: { type: 'bigquery', project: read.host, ...read.values }, secrets: [] };
}

function parseSnowflakeUrl(url: string): WarehouseUrlResult {
  const read = parseCloudUrl(url, 'snowflake', {
    example: 'snowflake://user:password@account/database',
    host: 'account',
  });
  if (!read.ok) return read;
  const { parsed } = read;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  const warehouse: WarehouseConnectionConfig = {
    type: 'snowflake',
    account: read.host,
    ...(parsed.username ? { user: decodeURIComponent(parsed.username) } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(database ? { database } : {}),
    ...read.values,
  };
  const secrets = password !== undefined ? [url, parsed.password, password] : [];
  return { ok: true, warehouse, secrets };
}
