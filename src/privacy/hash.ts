/**
 * How weft hashes a person's identifiers for privacy: SHA-256 (lowercase hex) of the value trimmed
 * and lowercased. The same rule in TypeScript (`identifierHash`, for typed-in identifiers) and in
 * SQL (`hashExpr`, for stored values), so a suppression matches wherever the value turns up.
 */
import { createHash } from 'node:crypto';
import type { Dialect } from '../warehouse/types.js';

/** The hash of one identifier value. */
export function identifierHash(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase(), 'utf8').digest('hex');
}

/** SQL computing the hash of a column or expression, as `identifierHash` does. */
export function hashExpr(dialect: Dialect, expr: string): string {
  return dialect.sha256(`lower(trim(${dialect.cast(expr, 'string')}))`);
}

/** A message with its quoted values (SQL literals) replaced, so no identifier reaches a log. */
export function maskQuoted(message: string): string {
  return message.replace(/'[^']*'/g, "'…'").slice(0, 300);
}
