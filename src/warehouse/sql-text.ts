/** Small SQL text helpers shared by dialects. Pure functions, no engine knowledge. */

/**
 * Remove trailing whitespace and `;` from a query so it can be embedded in a larger statement
 * (model files often end with a semicolon).
 */
export function stripTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC, the form SQL timestamp literals accept. Throws on an invalid Date. */
export function timestampText(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('Cannot write an invalid Date as an SQL literal');
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z, or ±YYYYYY-… outside years 0-9999
  return iso.replace('T', ' ').replace(/Z$/, '');
}
