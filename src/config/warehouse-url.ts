/** `WEFT_WAREHOUSE_URL`: one string that replaces weft.yml's `warehouse:` block. */
import type { WarehouseConnectionConfig } from '../warehouse/types.js';

/** The result of reading a warehouse URL: a config (plus secrets in it) or an error message. */
export type WarehouseUrlResult =
  | { ok: true; warehouse: WarehouseConnectionConfig; secrets: string[] }
  | { ok: false; message: string };

/**
 * Accepts `duckdb:///abs/path.duckdb`, `duckdb:relative/path.duckdb`, `duckdb::memory:`,
 * `duckdb://:memory:` (also `duckdb://relative/path`) and `postgres://…` / `postgresql://…`.
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
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1];
  return {
    ok: false,
    message:
      `WEFT_WAREHOUSE_URL: unsupported ${scheme ? `scheme '${scheme}:'` : 'value (no scheme)'}; ` +
      'expected duckdb:///abs/path.duckdb, duckdb:relative/path.duckdb, duckdb::memory: or postgres://…',
  };
}
