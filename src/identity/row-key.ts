/** The SQL expression identifying one row of an identity source. */
import type { IdentityConfig } from '../config/types.js';
import type { Dialect } from '../warehouse/types.js';

/** One entry of identity.yml's `sources`. */
export type IdentitySource = IdentityConfig['sources'][number];

/**
 * A SQL expression over the source relation's columns that identifies a row: the `key` column
 * as text when configured, else a SHA-256 hex of the row's id columns and timestamp (in the
 * configured order, then the `names` columns, NULLs marked so `a,NULL` and `NULL,a` differ).
 * Rows identical in every id, the timestamp and the names share a key, which is fine: they carry the same evidence.
 */
export function rowKeyExpr(dialect: Dialect, source: IdentitySource): string {
  if (source.key) return dialect.cast(dialect.quoteIdent(source.key), 'string');
  const columns = [
    ...Object.values(source.ids),
    ...(source.timestamp ? [source.timestamp] : []),
    ...(source.names ?? []),
  ];
  const parts = columns.map(
    (column) => `coalesce('v' || ${dialect.cast(dialect.quoteIdent(column), 'string')}, 'n')`,
  );
  return dialect.sha256(parts.join(` || '|' || `));
}

/**
 * With the row key and seen-at timestamp, what tells a processed row from a changed one: '' when
 * the key already covers the content (no `key`: it is the content hash) or the row has a
 * timestamp (a row updated in place gets a new one); a content hash for keyed rows without one.
 */
export function rowFingerprintExpr(dialect: Dialect, source: IdentitySource): string {
  if (!source.key || source.timestamp) return "''";
  return rowKeyExpr(dialect, { ...source, key: undefined });
}
