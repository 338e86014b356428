/**
 * The ledger: request rows (`privacy_requests`) and their steps (`privacy_steps`), written as each
 * step changes so a restart continues where the last process stopped.
 */
import type { Warehouse } from '../warehouse/types.js';
import { type PrivacyTables, STEPS_COLUMNS } from './tables.js';

/** Where a step stands. `pending` is retried; the others are final. */
export type StepStatus = 'pending' | 'acknowledged' | 'unsupported' | 'manual' | 'failed';

/** Final statuses that still leave something for a person to do. */
export const EXCEPTION_STATUSES: StepStatus[] = ['unsupported', 'manual', 'failed'];

/** One step row. */
export interface StepRow {
  requestId: string;
  /** Unique within a request: `sync:<name>`, `weft:<what>`, `source:<name>`. */
  step: string;
  /** The system reached: a connection name, `weft`, or a source name. */
  system: string;
  /** The destination type, or `warehouse`. */
  destination: string;
  action: string;
  status: StepStatus;
  records: number;
  lastError?: string;
  responseId?: string;
}

/**
 * Appends the steps of requests filed just now (none of theirs is in the ledger yet) through the
 * warehouse's bulk path (DuckDB's appender, COPY on Postgres): tens of thousands at once.
 */
export async function appendNewSteps(
  warehouse: Warehouse,
  tables: PrivacyTables,
  steps: StepRow[],
  now: Date,
): Promise<void> {
  if (steps.length === 0) return;
  await warehouse.load(
    tables.steps,
    STEPS_COLUMNS,
    steps.map((s) => stepValues(s, now)),
    { mode: 'append' },
  );
}

/** Inserts new steps (a step already in the ledger is left alone). */
export async function insertSteps(
  warehouse: Warehouse,
  tables: PrivacyTables,
  steps: StepRow[],
  now: Date,
): Promise<void> {
  const d = warehouse.dialect;
  for (let start = 0; start < steps.length; start += 500) {
    const values = steps.slice(start, start + 500).map(
      (s) =>
        `(${stepValues(s, now)
          .map((v, i) => d.cast(d.literal(v), STEPS_COLUMNS[i]?.type ?? 'string'))
          .join(', ')})`,
    );
    await warehouse.execute(
      d.insertSelect(
        tables.steps,
        [
          'request_id',
          'step',
          'system',
          'destination',
          'action',
          'status',
          'records',
          'attempts',
          'last_error',
          'response_id',
          'created_at',
          'updated_at',
          'acknowledged_at',
        ],
        `SELECT v.* FROM (VALUES ${values.join(', ')}) AS v(request_id, step, system, destination, action, status, records, attempts, last_error, response_id, created_at, updated_at, acknowledged_at)
WHERE NOT EXISTS (SELECT 1 FROM ${d.qualify(tables.steps)} AS s WHERE s.request_id = v.request_id AND s.step = v.step)`,
      ),
    );
  }
}

/** The outcome of one attempt at a step. */
export interface StepOutcome {
  status: StepStatus;
  records?: number;
  lastError?: string;
  responseId?: string;
}

/** Records an attempt at steps `step` of `requestIds` (attempts + 1). */
export async function updateSteps(
  warehouse: Warehouse,
  tables: PrivacyTables,
  step: string,
  requestIds: string[],
  outcome: StepOutcome,
  now: Date,
): Promise<void> {
  if (requestIds.length === 0) return;
  const d = warehouse.dialect;
  const sets = [
    `status = ${d.literal(outcome.status)}`,
    'attempts = attempts + 1',
    `updated_at = ${d.literal(now)}`,
    `last_error = ${d.literal(outcome.lastError ?? null)}`,
  ];
  if (outcome.status === 'acknowledged') sets.push(`acknowledged_at = ${d.literal(now)}`);
  if (outcome.records !== undefined) sets.push(`records = ${d.literal(outcome.records)}`);
  if (outcome.responseId !== undefined) sets.push(`response_id = ${d.literal(outcome.responseId)}`);
  for (let start = 0; start < requestIds.length; start += 1000) {
    const ids = requestIds.slice(start, start + 1000).map((id) => d.literal(id));
    await warehouse.execute(
      `UPDATE ${d.qualify(tables.steps)} SET ${sets.join(', ')} WHERE step = ${d.literal(step)} AND request_id IN (${ids.join(', ')})`,
    );
  }
}

/**
 * Closes requests whose steps are all final: `completed`, or `completed_with_exceptions` when a
 * step could not erase (unsupported, manual, failed). A request without steps yet (being filed
 * by another process: its row is written before its steps) stays open.
 */
export async function closeFinishedRequests(
  warehouse: Warehouse,
  tables: PrivacyTables,
  now: Date,
): Promise<void> {
  const d = warehouse.dialect;
  const steps = d.qualify(tables.steps);
  const exceptions = EXCEPTION_STATUSES.map((s) => d.literal(s)).join(', ');
  await warehouse.execute(`UPDATE ${d.qualify(tables.requests)} SET
  status = CASE WHEN EXISTS (SELECT 1 FROM ${steps} AS s WHERE s.request_id = ${d.qualify(tables.requests)}.request_id AND s.status IN (${exceptions}))
    THEN 'completed_with_exceptions' ELSE 'completed' END,
  completed_at = ${d.literal(now)}
WHERE status = 'open' AND NOT EXISTS (
  SELECT 1 FROM ${steps} AS s WHERE s.request_id = ${d.qualify(tables.requests)}.request_id AND s.status = 'pending')
  AND EXISTS (SELECT 1 FROM ${steps} AS s WHERE s.request_id = ${d.qualify(tables.requests)}.request_id)`);
}

/** SQL: the hashes of requests `requestIds`. */
export function requestHashes(warehouse: Warehouse, tables: PrivacyTables, requestIds: string[]): string {
  const d = warehouse.dialect;
  return `(SELECT id_hash FROM ${d.qualify(tables.suppressions)} WHERE request_id IN (${requestIds.map((id) => d.literal(id)).join(', ')}))`;
}

/** A new step's row in STEPS_COLUMNS order (created and updated now; acknowledged now if so). */
function stepValues(s: StepRow, now: Date): unknown[] {
  return [
    s.requestId,
    s.step,
    s.system,
    s.destination,
    s.action,
    s.status,
    s.records,
    s.status === 'pending' ? 0 : 1,
    s.lastError ?? null,
    s.responseId ?? null,
    now,
    now,
    s.status === 'acknowledged' ? now : null,
  ];
}
