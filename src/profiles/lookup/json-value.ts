/** Warehouse values as JSON-safe values: dates as ISO text, big integers as text. */
export function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
  }
  return value;
}

/** A value as short human text (dates without milliseconds, NULL as `-`). */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date)
    return value
      .toISOString()
      .replace('T', ' ')
      .replace(/(:00)?\.\d{3}Z$/, '');
  if (typeof value === 'object') return JSON.stringify(jsonValue(value));
  return String(value);
}
