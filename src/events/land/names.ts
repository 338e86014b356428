/** Segment-style warehouse names: snake_case, lowercase, safe on every engine. */

/** The tables of each call type. */
export const TYPE_TABLES = {
  track: 'tracks',
  identify: 'identifies',
  page: 'pages',
  screen: 'screens',
  group: 'groups',
  alias: 'aliases',
} as const;

const RESERVED_TABLES = new Set<string>([...Object.values(TYPE_TABLES), 'users']);
const MAX_NAME = 120;

/** `Order Completed` → `order_completed`; `''` when nothing usable is left. */
export function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_NAME);
}

/** The per-event table of a track call's event name, or undefined when the name has no letters or digits. */
export function eventTableName(event: string): string | undefined {
  const name = snakeCase(event);
  if (name === '') return undefined;
  const safe = /^[0-9]/.test(name) ? `_${name}` : name;
  return RESERVED_TABLES.has(safe) ? `track_${safe}` : safe;
}
