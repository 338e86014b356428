/**
 * Events → rows of Segment's warehouse schema. Every table has the common columns (id =
 * messageId, received_at, sent_at, timestamp, original_timestamp, user_id, anonymous_id,
 * source) and the event's `context` flattened into `context_*` columns; each type adds its own,
 * and a track also gets a row in its event's table with the properties flattened into columns.
 * Flattened values keep their JSON type (text, double, boolean; arrays as JSON text); the table
 * writer settles conflicts with existing columns.
 */
import type { LogicalType } from '../../warehouse/types.js';
import type { CollectedEvent } from '../types.js';
import { eventTableName, snakeCase, TYPE_TABLES } from './names.js';

/** One value bound for a column: its JSON-derived type and the value. */
export interface CellValue {
  type: LogicalType;
  value: string | number | boolean | Date | null;
}

/** A row for one table: column name → value. */
export type EventRow = Map<string, CellValue>;

/** Columns every events table has, in order. */
export const COMMON_COLUMNS: ReadonlyArray<{ name: string; type: LogicalType }> = [
  { name: 'id', type: 'string' },
  { name: 'received_at', type: 'timestamp' },
  { name: 'sent_at', type: 'timestamp' },
  { name: 'timestamp', type: 'timestamp' },
  { name: 'original_timestamp', type: 'timestamp' },
  { name: 'user_id', type: 'string' },
  { name: 'anonymous_id', type: 'string' },
  { name: 'source', type: 'string' },
];
const FIXED = new Set([
  ...COMMON_COLUMNS.map((c) => c.name),
  'event',
  'event_text',
  'name',
  'properties',
  'traits',
  'group_id',
  'previous_id',
]);

/** The rows one event contributes: `[table, row]` pairs. */
export function rowsOf(event: CollectedEvent): Array<[string, EventRow]> {
  const row: EventRow = new Map();
  const text = (name: string, value: string | undefined) =>
    row.set(name, { type: 'string', value: value ?? null });
  const time = (name: string, value: string | undefined) =>
    row.set(name, { type: 'timestamp', value: value ? new Date(value) : null });
  text('id', event.messageId);
  time('received_at', event.receivedAt);
  time('sent_at', event.sentAt);
  time('timestamp', event.timestamp);
  time('original_timestamp', event.originalTimestamp);
  text('user_id', event.userId);
  text('anonymous_id', event.anonymousId);
  text('source', event.source);
  if (event.context) flatten(event.context, 'context_', row);

  const typed = new Map(row);
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  const out: Array<[string, EventRow]> = [];
  switch (event.type) {
    case 'track': {
      typed.set('event', { type: 'string', value: snakeCase(event.event ?? '') || null });
      typed.set('event_text', { type: 'string', value: event.event ?? null });
      typed.set('properties', { type: 'string', value: json(event.properties) });
      out.push([TYPE_TABLES.track, typed]);
      const table = eventTableName(event.event ?? '');
      if (table) {
        const own = new Map(typed);
        own.delete('properties');
        if (event.properties) flatten(event.properties, '', own);
        out.push([table, own]);
      }
      return out;
    }
    case 'page':
    case 'screen':
      typed.set('name', { type: 'string', value: event.name ?? null });
      typed.set('properties', { type: 'string', value: json(event.properties) });
      if (event.properties) flatten(event.properties, '', typed);
      break;
    case 'identify':
      typed.set('traits', { type: 'string', value: json(event.traits) });
      if (event.traits) flatten(event.traits, '', typed);
      break;
    case 'group':
      typed.set('group_id', { type: 'string', value: event.groupId ?? null });
      typed.set('traits', { type: 'string', value: json(event.traits) });
      if (event.traits) flatten(event.traits, '', typed);
      break;
    case 'alias':
      typed.set('previous_id', { type: 'string', value: event.previousId ?? null });
      break;
  }
  out.push([TYPE_TABLES[event.type], typed]);
  return out;
}

/** Nested objects become `parent_child` columns; names that would hide a fixed column get `property_`. */
function flatten(object: Record<string, unknown>, prefix: string, row: EventRow, depth = 0): void {
  for (const [key, value] of Object.entries(object)) {
    const base = snakeCase(key);
    if (base === '') continue;
    let name = `${prefix}${base}`;
    if (prefix === '' && FIXED.has(name)) name = `property_${name}`;
    if (/^[0-9]/.test(name)) name = `_${name}`;
    if (value === null || value === undefined) continue;
    if (typeof value === 'object' && !Array.isArray(value) && depth < 3) {
      flatten(value as Record<string, unknown>, `${name}_`, row, depth + 1);
    } else if (typeof value === 'string') row.set(name, { type: 'string', value });
    else if (typeof value === 'number') row.set(name, { type: 'double', value });
    else if (typeof value === 'boolean') row.set(name, { type: 'boolean', value });
    else row.set(name, { type: 'string', value: JSON.stringify(value) });
  }
}
