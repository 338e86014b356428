/** The SQL expression identifying one row of an identity source. */
import type { IdentityConfig } from '../config/types.js';
import type { Dialect } from '../warehouse/types.js';

/** One entry of identity.yml's `sources`. */
export type IdentitySource = IdentityConfig['sources'][number];

/**
 * A SQL expression over the source relation's columns that identifies a row: the `key` column
 * as text when configured, else a SHA-256 hex of the row's id columns and timestamp (in the
 * configured order, NULLs marked so `a,NULL` and `NULL,a` differ). Rows identical in every id
 * and the timestamp share a key, which is fine: they carry the same evidence.
 */
export function rowKeyExpr(dialect: Dialect, source: IdentitySource): string {
  if (source.key) return dialect.cast(dialect.quoteIdent(source.key), 'string');
  const columns = [...Object.values(source.ids), ...(source.timestamp ? [source.timestamp] : [])];
  const parts = columns.map(
    (column) => `coalesce('v' || ${dialect.cast(dialect.quoteIdent(column), 'string')}, 'n')`,
  );
  return dialect.sha256(parts.join(` || '|' || `));
}

/**
 * What a row's identity content was when processed, to notice a keyed row that changed: the
 * content hash for sources with a `key`, and '' otherwise (their row key is the content hash).
 */
export function rowFingerprintExpr(dialect: Dialect, source: IdentitySource): string {
  if (!source.key) return "''";
  return rowKeyExpr(dialect, { ...source, key: undefined });
}
