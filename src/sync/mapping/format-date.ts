/** Date formatting for the `date` mapping helper, in UTC, without a date library. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A Date from a Date, an ISO-like string or epoch milliseconds; throws when it is not a date. */
export function toDate(value: unknown): Date {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'number' || typeof value === 'bigint'
        ? new Date(Number(value))
        : typeof value === 'string'
          ? new Date(
              /^\d{4}-\d{2}-\d{2} \d/.test(value) && !/[zZ]|[+-]\d\d:?\d\d$/.test(value)
                ? `${value.replace(' ', 'T')}Z`
                : value,
            )
          : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new Error(`'${String(value)}' is not a date`);
  return date;
}

/**
 * Formats a date: `iso` (2024-01-02T03:04:05.000Z), `unix` (seconds), `unix_ms`, or a pattern with
 * YYYY MM DD HH mm ss SSS tokens (UTC), e.g. `YYYY-MM-DD`.
 */
export function formatDate(value: unknown, format: string): string | number {
  const date = toDate(value);
  if (format === 'iso') return date.toISOString();
  if (format === 'unix') return Math.floor(date.getTime() / 1000);
  if (format === 'unix_ms') return date.getTime();
  const tokens: Record<string, string> = {
    YYYY: pad(date.getUTCFullYear(), 4),
    MM: pad(date.getUTCMonth() + 1),
    DD: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
    SSS: pad(date.getUTCMilliseconds(), 3),
  };
  return format.replace(/YYYY|SSS|MM|DD|HH|mm|ss/g, (token) => tokens[token] ?? token);
}
