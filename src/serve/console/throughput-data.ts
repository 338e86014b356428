/**
 * The overview's event throughput, from the collector's tables (docs/events.md: `tracks`,
 * `identifies`, `pages`, `screens`, `groups`, `aliases` in `events.schema`): rows and last
 * `received_at` per table, events per hour over the last 24 hours and per day over the last 14,
 * counted in the warehouse up to its current time. Null when the project collects no events or
 * none of the tables exists yet.
 */
import { relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import { TYPE_TABLES } from '../../events/land/names.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import type { Warehouse } from '../../warehouse/types.js';

/** What the overview shows about collected events. */
export interface Throughput {
  schema: string;
  tables: Array<{ table: string; rows: number; last_received_at: string | null }>;
  last_received_at: string | null;
  /** `YYYY-MM-DD HH` (UTC) → events received in that hour, the last 24 hours, oldest first. */
  per_hour: Array<{ hour: string; events: number }>;
  /** `YYYY-MM-DD` → events received that day, the last 14 days, oldest first. */
  per_day: Array<{ day: string; events: number }>;
}

/** The throughput, or null without collector tables. */
export async function eventThroughput(project: Project, warehouse: Warehouse): Promise<Throughput | null> {
  const events = project.config.events;
  if (!events) return null;
  const d = warehouse.dialect;
  const present: string[] = [];
  for (const table of Object.values(TYPE_TABLES))
    if (await relationKind(warehouse, { schema: events.schema, name: table })) present.push(table);
  if (present.length === 0) return null;
  const ref = (table: string) => d.qualify({ schema: events.schema, name: table });
  const tables = await warehouse.query(
    present
      .map((t) => `SELECT ${d.literal(t)} AS tbl, count(*) AS n, max(received_at) AS last_at FROM ${ref(t)}`)
      .join('\nUNION ALL\n'),
  );
  // Hours and days as the leading characters of the timestamp's text (portable: no date_trunc).
  const text = d.cast('received_at', 'string');
  const recent = (days: number, length: number) =>
    `SELECT bucket, count(*) AS n FROM (${present
      .map(
        (t) =>
          `SELECT ${d.substring(text, 1, length)} AS bucket FROM ${ref(t)} WHERE received_at >= ${d.addDays(d.currentTimestamp(), -days)}`,
      )
      .join('\nUNION ALL\n')}) AS weft_events GROUP BY bucket ORDER BY bucket`;
  const hours = await warehouse.query(recent(1, 13));
  const days = await warehouse.query(recent(14, 10));
  const rows = present.map((table) => {
    const row = tables.find((r) => r.tbl === table);
    const last = jsonValue(row?.last_at ?? null);
    return { table, rows: Number(row?.n ?? 0), last_received_at: last === null ? null : String(last) };
  });
  const last = rows
    .map((r) => r.last_received_at)
    .filter((v): v is string => v !== null)
    .sort()
    .at(-1);
  return {
    schema: events.schema,
    tables: rows,
    last_received_at: last ?? null,
    per_hour: hours.map((r) => ({ hour: String(r.bucket), events: Number(r.n) })),
    per_day: days.map((r) => ({ day: String(r.bucket), events: Number(r.n) })),
  };
}
