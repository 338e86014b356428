/**
 * `<state_schema>.trigger_runs`: one row per firing decision (a matched event and person), an
 * ordinary warehouse table anyone can query. Rows are written in batches: one INSERT per
 * `offer` (before it resolves: the durable record), one UPDATE per flush of delivery outcomes.
 *
 * status: `pending` (recorded, not delivered yet, or delayed by quiet hours until
 * `next_attempt_at`), `delivered`, `failed` (rejected, gave up, or the template failed: see
 * `reason`), `capped` (the person fired within `once_per`), `quiet` (quiet hours, `action: skip`).
 */
import { toDate } from '../../warehouse/js-values.js';
import type { ColumnDef, RelationRef, Warehouse } from '../../warehouse/types.js';

/** The columns, in order. */
export const TRIGGER_RUNS_COLUMNS: ColumnDef[] = [
  { name: 'firing_id', type: 'string' },
  { name: 'trigger_name', type: 'string' },
  { name: 'message_id', type: 'string' },
  { name: 'event_type', type: 'string' },
  { name: 'event_name', type: 'string' },
  { name: 'source', type: 'string' },
  { name: 'person_key', type: 'string' },
  { name: 'profile_id', type: 'string' },
  { name: 'connection', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'reason', type: 'string' },
  { name: 'event_at', type: 'timestamp' },
  { name: 'fired_at', type: 'timestamp' },
  { name: 'next_attempt_at', type: 'timestamp' },
  { name: 'delivered_at', type: 'timestamp' },
  { name: 'attempts', type: 'bigint' },
  { name: 'payload', type: 'string' },
  { name: 'updated_at', type: 'timestamp' },
];

/** A firing's status. */
export type FiringStatus = 'pending' | 'delivered' | 'failed' | 'capped' | 'quiet';

/** Statuses that count as the person having fired (for `once_per`). */
export const COUNTED_STATUSES: FiringStatus[] = ['pending', 'delivered', 'failed'];

/** One row of trigger_runs. */
export interface TriggerRunRow {
  firing_id: string;
  trigger_name: string;
  message_id: string;
  event_type: string;
  event_name: string | null;
  source: string;
  person_key: string;
  profile_id: string | null;
  connection: string;
  status: FiringStatus;
  reason: string | null;
  event_at: Date;
  fired_at: Date;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  attempts: number;
  /** JSON `{key, fields}`: the rendered record (so a restart can send it without the event). */
  payload: string | null;
  updated_at: Date;
}

/** A delivery outcome to write onto an existing row. */
export interface RunUpdate {
  firing_id: string;
  status: FiringStatus;
  reason: string | null;
  attempts: number;
  delivered_at: Date | null;
  updated_at: Date;
}

/** Where the table lives. */
export function triggerRunsTable(stateSchema: string): RelationRef {
  return { schema: stateSchema, name: 'trigger_runs' };
}

/** The SQL reads and writes of trigger_runs on one warehouse. */
export class TriggerRuns {
  readonly table: RelationRef;

  constructor(
    private readonly warehouse: Warehouse,
    stateSchema: string,
  ) {
    this.table = triggerRunsTable(stateSchema);
  }

  /** Creates the schema and table when missing. */
  async ensure(): Promise<void> {
    const d = this.warehouse.dialect;
    await this.warehouse.execute(d.createSchema(this.table.schema));
    await this.warehouse.execute(d.createTable(this.table, TRIGGER_RUNS_COLUMNS));
  }

  /** Inserts rows in one statement (chunks of 500 rows). */
  async insert(rows: TriggerRunRow[]): Promise<void> {
    const d = this.warehouse.dialect;
    const names = TRIGGER_RUNS_COLUMNS.map((c) => d.quoteIdent(c.name)).join(', ');
    for (let i = 0; i < rows.length; i += 500) {
      const values = rows
        .slice(i, i + 500)
        .map(
          (row) =>
            `(${TRIGGER_RUNS_COLUMNS.map((c) => d.literal(row[c.name as keyof TriggerRunRow])).join(', ')})`,
        );
      await this.warehouse.execute(
        `INSERT INTO ${d.qualify(this.table)} (${names}) VALUES ${values.join(',\n')}`,
      );
    }
  }

  /**
   * Writes whole rows, replacing any with the same firing id (DELETE then INSERT: run it in a
   * transaction). Idempotent, so the trigger journal (journal.ts) can land a batch twice.
   */
  async replace(rows: TriggerRunRow[]): Promise<void> {
    const d = this.warehouse.dialect;
    for (let i = 0; i < rows.length; i += 500) {
      const list = rows.slice(i, i + 500).map((row) => d.literal(row.firing_id));
      await this.warehouse.execute(
        `DELETE FROM ${d.qualify(this.table)} WHERE ${d.quoteIdent('firing_id')} IN (${list.join(', ')})`,
      );
    }
    await this.insert(rows);
  }

  /** Applies delivery outcomes (one UPDATE … FROM (VALUES …) per 500 rows). */
  async update(updates: RunUpdate[]): Promise<void> {
    const d = this.warehouse.dialect;
    const q = (name: string) => d.quoteIdent(name);
    for (let i = 0; i < updates.length; i += 500) {
      const values = updates
        .slice(i, i + 500)
        .map(
          (u) =>
            `(${[u.firing_id, u.status, u.reason, u.attempts, u.delivered_at, u.updated_at].map((v) => d.literal(v)).join(', ')})`,
        );
      await this.warehouse.execute(
        `UPDATE ${d.qualify(this.table)} SET status = u.status, reason = ${d.cast('u.reason', 'string')},
  attempts = ${d.cast('u.attempts', 'bigint')}, delivered_at = ${d.cast('u.delivered_at', 'timestamp')},
  updated_at = ${d.cast('u.updated_at', 'timestamp')}, next_attempt_at = NULL
FROM (VALUES ${values.join(',\n')}) AS u(firing_id, status, reason, attempts, delivered_at, updated_at)
WHERE ${d.qualify(this.table)}.${q('firing_id')} = u.firing_id`,
      );
    }
  }

  /** Which of `firingIds` are already recorded (fired at or after `since`). */
  async existing(firingIds: string[], since: Date): Promise<Set<string>> {
    const found = new Set<string>();
    if (firingIds.length === 0) return found;
    const d = this.warehouse.dialect;
    for (let i = 0; i < firingIds.length; i += 500) {
      const list = firingIds.slice(i, i + 500).map((id) => d.literal(id));
      const rows = await this.warehouse.query<{ firing_id: string }>(
        `SELECT firing_id FROM ${d.qualify(this.table)} WHERE fired_at >= ${d.literal(since)} AND firing_id IN (${list.join(', ')})`,
      );
      for (const row of rows) found.add(row.firing_id);
    }
    return found;
  }

  /**
   * The latest counted firing at or after `since` per (trigger, person) among `pairs`, keyed
   * `trigger\u0000person`.
   */
  async lastFirings(pairs: Array<[string, string]>, since: Date): Promise<Map<string, Date>> {
    const last = new Map<string, Date>();
    if (pairs.length === 0) return last;
    const d = this.warehouse.dialect;
    const statuses = COUNTED_STATUSES.map((s) => d.literal(s)).join(', ');
    for (let i = 0; i < pairs.length; i += 500) {
      const chunk = pairs.slice(i, i + 500);
      const people = [...new Set(chunk.map(([, person]) => person))].map((p) => d.literal(p));
      const triggers = [...new Set(chunk.map(([trigger]) => trigger))].map((t) => d.literal(t));
      const rows = await this.warehouse.query<{ trigger_name: string; person_key: string; last_at: unknown }>(
        `SELECT trigger_name, person_key, max(fired_at) AS last_at FROM ${d.qualify(this.table)}
WHERE fired_at >= ${d.literal(since)} AND status IN (${statuses})
  AND trigger_name IN (${triggers.join(', ')}) AND person_key IN (${people.join(', ')})
GROUP BY trigger_name, person_key`,
      );
      for (const row of rows) last.set(`${row.trigger_name}\u0000${row.person_key}`, toDate(row.last_at));
    }
    return last;
  }

  /** Every firing id fired at or after `since` (to seed the trigger journal). */
  async firedSince(since: Date): Promise<Array<{ firing_id: string; fired_at: Date }>> {
    const d = this.warehouse.dialect;
    const rows = await this.warehouse.query<{ firing_id: string; fired_at: unknown }>(
      `SELECT firing_id, fired_at FROM ${d.qualify(this.table)} WHERE fired_at >= ${d.literal(since)}`,
    );
    return rows.map((row) => ({ firing_id: row.firing_id, fired_at: toDate(row.fired_at) }));
  }

  /** The latest counted firing at or after `since` of every (trigger, person) (to seed the journal). */
  async lastFiringsSince(
    since: Date,
  ): Promise<Array<{ trigger_name: string; person_key: string; last_at: Date }>> {
    const d = this.warehouse.dialect;
    const statuses = COUNTED_STATUSES.map((s) => d.literal(s)).join(', ');
    const rows = await this.warehouse.query<{ trigger_name: string; person_key: string; last_at: unknown }>(
      `SELECT trigger_name, person_key, max(fired_at) AS last_at FROM ${d.qualify(this.table)}
WHERE fired_at >= ${d.literal(since)} AND status IN (${statuses})
GROUP BY trigger_name, person_key`,
    );
    return rows.map((row) => ({ ...row, last_at: toDate(row.last_at) }));
  }

  /** Every pending row (to resume after a restart). */
  async pending(): Promise<TriggerRunRow[]> {
    const d = this.warehouse.dialect;
    const rows = await this.warehouse.query(
      `SELECT * FROM ${d.qualify(this.table)} WHERE status = 'pending' ORDER BY fired_at, firing_id`,
    );
    return rows.map((row) => ({
      ...(row as unknown as TriggerRunRow),
      attempts: Number(row.attempts ?? 0),
      event_at: toDate(row.event_at),
      fired_at: toDate(row.fired_at),
      next_attempt_at: row.next_attempt_at == null ? null : toDate(row.next_attempt_at),
      delivered_at: row.delivered_at == null ? null : toDate(row.delivered_at),
      updated_at: toDate(row.updated_at),
    }));
  }
}

/**
 * Lands rows and outcomes from the trigger journal in one transaction: whole rows replace any
 * with their firing id, then outcomes of earlier rows apply. Idempotent (a repeated landing
 * writes the same values).
 */
export async function landTriggerRuns(
  warehouse: Warehouse,
  stateSchema: string,
  rows: TriggerRunRow[],
  updates: RunUpdate[],
): Promise<void> {
  const runs = new TriggerRuns(warehouse, stateSchema);
  await warehouse.transaction(async () => {
    if (rows.length > 0) await runs.replace(rows);
    if (updates.length > 0) await runs.update(updates);
  });
}
