/**
 * `schedule_state` rows: read all at each tick, marked when a run starts and when it ends. Each
 * write is one row of one sync, and only the process running that sync writes it (the sync's
 * lease), so no transaction is needed: the row is created free first, then updated.
 */
import type { Warehouse } from '../warehouse/types.js';
import { scheduleTables } from './tables.js';

/** A sync's row. Dates are absent until set. */
export interface ScheduleState {
  sync: string;
  /** The slot of the last run that ended (a run stopped by a shutdown leaves it unchanged). */
  last_due_at?: Date;
  last_started_at?: Date;
  last_finished_at?: Date;
  /** `running`, `success`, `partial` or `failed`. */
  last_status?: string;
  last_run_id?: string;
}

/** Every sync's row, by sync name. */
export async function readScheduleStates(
  warehouse: Warehouse,
  stateSchema: string,
): Promise<Map<string, ScheduleState>> {
  const table = warehouse.dialect.qualify(scheduleTables(stateSchema).schedule);
  const rows = await warehouse.query(`SELECT * FROM ${table}`);
  const date = (value: unknown) =>
    value instanceof Date ? value : value ? new Date(String(value)) : undefined;
  const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));
  return new Map(
    rows.map((row) => {
      const state: ScheduleState = {
        sync: String(row.sync),
        last_due_at: date(row.last_due_at),
        last_started_at: date(row.last_started_at),
        last_finished_at: date(row.last_finished_at),
        last_status: text(row.last_status),
        last_run_id: text(row.last_run_id),
      };
      return [state.sync, state];
    }),
  );
}

/** Records that `sync`'s run started at `startedAt`. */
export function markStarted(warehouse: Warehouse, stateSchema: string, sync: string, startedAt: Date) {
  return updateState(warehouse, stateSchema, sync, {
    last_started_at: startedAt,
    last_status: 'running',
  });
}

/**
 * Records how `sync`'s run ended; `slot` (omitted for a run stopped by a shutdown, so the slot
 * is still due after a restart) becomes `last_due_at`.
 */
export function markFinished(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  end: { slot?: Date; finishedAt: Date; status: string; runId?: string },
) {
  return updateState(warehouse, stateSchema, sync, {
    ...(end.slot ? { last_due_at: end.slot } : {}),
    last_finished_at: end.finishedAt,
    last_status: end.status,
    last_run_id: end.runId ?? null,
  });
}

async function updateState(
  warehouse: Warehouse,
  stateSchema: string,
  sync: string,
  values: Record<string, unknown>,
): Promise<void> {
  const d = warehouse.dialect;
  const table = d.qualify(scheduleTables(stateSchema).schedule);
  const where = `sync = ${d.literal(sync)}`;
  await warehouse.execute(
    `INSERT INTO ${table} (sync) SELECT ${d.literal(sync)} WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE ${where})`,
  );
  const set = Object.entries(values).map(
    ([column, value]) => `${d.quoteIdent(column)} = ${d.literal(value)}`,
  );
  await warehouse.execute(`UPDATE ${table} SET ${set.join(', ')} WHERE ${where}`);
}
