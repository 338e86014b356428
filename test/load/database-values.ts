/** Normalizes rows read from a source or a warehouse so exact values compare equal across drivers. */

type Kind = 'bigint' | 'text' | 'date' | 'timestamp' | 'json' | 'number';

function utcText(text: string): string {
  const hasOffset = /(Z|[+-]\d\d(:?\d\d)?)$/i.test(text);
  return new Date(hasOffset ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`).toISOString();
}

function one(kind: Kind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bigint':
      return String(value);
    case 'number':
      return Number(value);
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : utcText(String(value));
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return String(value);
  }
}

/** The row with each column normalized by its kind (columns not listed are dropped). */
export function normalize(
  row: Record<string, unknown>,
  kinds: Record<string, Kind>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(kinds))
    out[name] = one(kind, row[name] ?? row[name.toUpperCase()]);
  return out;
}
