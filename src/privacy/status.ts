/** `weft privacy status`: requests, their ledger, and how far each is from its legal deadline. */
import type { Warehouse } from '../warehouse/types.js';
import { daysLeft } from './deadlines.js';
import { existingSuppressions, privacyTables } from './tables.js';

/** One step as status shows it. */
export interface StepStatusView {
  step: string;
  system: string;
  destination: string;
  action: string;
  status: string;
  records: number;
  attempts: number;
  last_error: string | null;
  response_id: string | null;
  acknowledged_at: string | null;
}

/** One request as status shows it. */
export interface RequestStatusView {
  request_id: string;
  kind: string;
  regulation: string;
  status: string;
  received_at: string;
  due_at: string;
  completed_at: string | null;
  days_left: number;
  /** `overdue`, `due_soon` (within warn_days, still open) or null. */
  deadline: 'overdue' | 'due_soon' | null;
  identifiers: number;
  /** Whether identity_map held the person when the request was filed. */
  profile_found: boolean;
  steps?: StepStatusView[];
}

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string).toISOString();

/**
 * Requests (all, or the one named), newest first; with their steps when one is named or
 * `withSteps`. Returns [] when no request was ever made.
 */
export async function privacyStatus(
  warehouse: Warehouse,
  stateSchema: string,
  options: { requestId?: string; withSteps?: boolean; now: Date; warnDays: number },
): Promise<RequestStatusView[]> {
  if (!(await existingSuppressions(warehouse, stateSchema))) return [];
  const d = warehouse.dialect;
  const tables = privacyTables(stateSchema);
  const where = options.requestId ? `WHERE request_id = ${d.literal(options.requestId)}` : '';
  const rows = await warehouse.query(
    `SELECT * FROM ${d.qualify(tables.requests)} ${where} ORDER BY received_at DESC, request_id`,
  );
  const views: RequestStatusView[] = rows.map((row) => {
    const due = new Date(row.due_at as string);
    const left = daysLeft(due, options.now);
    const open = row.status === 'open';
    return {
      request_id: String(row.request_id),
      kind: String(row.kind),
      regulation: String(row.regulation),
      status: String(row.status),
      received_at: iso(row.received_at) ?? '',
      due_at: due.toISOString(),
      completed_at: iso(row.completed_at),
      days_left: left,
      deadline: open && left < 0 ? 'overdue' : open && left <= options.warnDays ? 'due_soon' : null,
      identifiers: Number(row.identifiers),
      profile_found: row.profile_found === true,
    };
  });
  if (options.requestId || options.withSteps) {
    for (const view of views) {
      const steps = await warehouse.query(
        `SELECT * FROM ${d.qualify(tables.steps)} WHERE request_id = ${d.literal(view.request_id)} ORDER BY step`,
      );
      view.steps = steps.map((s) => ({
        step: String(s.step),
        system: String(s.system),
        destination: String(s.destination),
        action: String(s.action),
        status: String(s.status),
        records: Number(s.records),
        attempts: Number(s.attempts),
        last_error: s.last_error === null ? null : String(s.last_error),
        response_id: s.response_id === null ? null : String(s.response_id),
        acknowledged_at: iso(s.acknowledged_at),
      }));
    }
  }
  return views;
}
