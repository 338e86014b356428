/**
 * Erasure requests: `createErasureRequests` files them (suppress at once, plan the ledger),
 * `runPendingSteps` works the ledger: weft's own tables and sources first, then every destination
 * (side by side), until every step is final. It is what a restart runs: every pending step is
 * retried, with the rate budgets, and late snapshot rows reopen their step.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Project } from '../config/types.js';
import type { AnyDestination } from '../destination-kit/index.js';
import { lookupTables } from '../profiles/lookup/tables.js';
import { AccountBudgets } from '../sync/budget/budgets.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../sync/runner/backoff.js';
import type { Warehouse } from '../warehouse/types.js';
import { EXPORT_STEP, runExports } from './access.js';
import { dueDate, type Regulation } from './deadlines.js';
import { type EraseReport, eraseFromSync } from './erase-sync.js';
import { appendNewSteps, closeFinishedRequests, updateSteps } from './ledger.js';
import { planSteps, reopenLateTargets } from './plan-steps.js';
import { resolveSubject, type Subject } from './subject.js';
import { type RequestSubjects, suppressSubjects } from './suppress.js';
import { ensurePrivacyTables, type PrivacyTables } from './tables.js';
import { runWarehouseStep } from './weft-data.js';

/** Syncs erased at once by one `runPendingSteps`. */
export const ERASE_CONCURRENCY = 4;

/** Options of a privacy command. */
export interface PrivacyOptions {
  /** The clock (tests inject one). */
  now?: () => Date;
  regulation?: Regulation;
  retry?: Partial<RetryPolicy>;
  budgets?: AccountBudgets;
  signal?: AbortSignal;
  /** Connector overrides by destination type (tests). */
  destinations?: Record<string, AnyDestination>;
  /**
   * Opens another connection to the same warehouse: with it, up to ERASE_CONCURRENCY syncs erase
   * side by side, each on its own connection (a lease takes a transaction). Without it, one at a time.
   */
  openWarehouse?: () => Promise<Warehouse>;
  /** Request ids (tests, the inbound API); random otherwise. */
  newId?: () => string;
  /** When the person asked (the deadline runs from it; default: now). */
  submittedAt?: Date;
}

/** A filed request (no clear identifier in it). */
export interface FiledRequest {
  request_id: string;
  regulation: Regulation;
  due_at: Date;
  /** Distinct hashes suppressed for the person. */
  identifiers: number;
  profile_found: boolean;
}

/** New request ids: `pr_` and 16 hex digits. */
export function newRequestId(): string {
  return `pr_${randomBytes(8).toString('hex')}`;
}

/**
 * Files one erasure request per person (`people[i]` lists one person's identifiers): suppresses
 * them at once and plans their ledger. Does not erase yet: call `runPendingSteps`.
 */
export async function createErasureRequests(
  project: Project,
  warehouse: Warehouse,
  people: string[][],
  options: PrivacyOptions = {},
): Promise<FiledRequest[]> {
  const now = (options.now ?? (() => new Date()))();
  const regulation = options.regulation ?? project.config.privacy?.regulation ?? 'gdpr';
  const tables = await ensurePrivacyTables(warehouse, project.config.state_schema);
  const d = warehouse.dialect;
  const filed: FiledRequest[] = [];
  const lookup = await lookupTables(project, warehouse);
  const due = dueDate(project.config.privacy, regulation, options.submittedAt ?? now);
  // Chunks of people: one suppression statement and one request insert per chunk.
  for (let start = 0; start < people.length; start += 200) {
    const batch: RequestSubjects[] = [];
    for (const identifiers of people.slice(start, start + 200)) {
      const subjects: Subject[] = [];
      for (const text of identifiers) subjects.push(await resolveSubject(project, warehouse, text, lookup));
      batch.push({ requestId: (options.newId ?? newRequestId)(), subjects });
    }
    const counts = await suppressSubjects(project, warehouse, tables, batch, now, lookup);
    const rows = batch.map(({ requestId, subjects }) => {
      const found = subjects.some((s) => s.profileId !== undefined);
      const count = counts.get(requestId) ?? 0;
      filed.push({
        request_id: requestId,
        regulation,
        due_at: due,
        identifiers: count,
        profile_found: found,
      });
      return `SELECT ${[requestId, 'erasure', regulation, 'open', now, due, count, found].map((v) => d.literal(v)).join(', ')}`;
    });
    await warehouse.execute(
      d.insertSelect(
        tables.requests,
        [
          'request_id',
          'kind',
          'regulation',
          'status',
          'received_at',
          'due_at',
          'identifiers',
          'profile_found',
        ],
        rows.join('\nUNION ALL\n'),
      ),
    );
  }
  const ids = filed.map((f) => f.request_id);
  for (let start = 0; start < ids.length; start += 1000) {
    const chunk = ids.slice(start, start + 1000);
    await appendNewSteps(warehouse, tables, await planSteps(project, warehouse, tables, chunk), now);
  }
  return filed;
}

/** What a pass over the ledger did. */
export interface RunReport {
  /** Steps attempted, per step name. */
  steps: Record<string, number>;
  erasures: EraseReport[];
}

/** Works every pending step of every open request once (retries inside, with the rate budgets). */
export async function runPendingSteps(
  project: Project,
  warehouse: Warehouse,
  options: PrivacyOptions = {},
): Promise<RunReport> {
  const clock = options.now ?? (() => new Date());
  const tables = await ensurePrivacyTables(warehouse, project.config.state_schema);
  const report: RunReport = { steps: {}, erasures: [] };
  await reopenLateTargets(project, warehouse, tables, clock());
  const pending = await pendingSteps(warehouse, tables);
  const budgets = options.budgets ?? AccountBudgets.forProject(project, clock);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const signal = options.signal ?? new AbortController().signal;
  setMaxListeners(0, signal); // one listener per call in flight, across the syncs erasing: not a leak
  // weft's own tables first (identity before sources: source steps read nothing of identity).
  const order = (step: string) => (step.startsWith('weft:') ? 0 : step.startsWith('source:') ? 1 : 2);
  const names = [...pending.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const erasures: Array<() => Promise<void>> = [];
  for (const step of names) {
    const requestIds = pending.get(step) as string[];
    report.steps[step] = requestIds.length;
    if (step === EXPORT_STEP) {
      await runExports(project, warehouse, tables, requestIds, clock);
      continue;
    }
    if (!step.startsWith('sync:')) {
      const outcome = await runWarehouseStep(project, warehouse, tables, step, requestIds, clock());
      await updateSteps(warehouse, tables, step, requestIds, outcome, clock());
      continue;
    }
    const config = project.syncs.find((s) => s.value.name === step.slice('sync:'.length))?.value;
    if (!config) {
      const lastError = `sync '${step.slice(5)}' is no longer in the project: erase the person from its destination by hand`;
      await updateSteps(warehouse, tables, step, requestIds, { status: 'failed', lastError }, clock());
      continue;
    }
    const connection = project.config.connections[config.connection];
    const override = connection ? options.destinations?.[connection.type] : undefined;
    erasures.push(async () => {
      const own = options.openWarehouse ? await options.openWarehouse() : warehouse;
      try {
        report.erasures.push(
          await eraseFromSync(project, own, tables, config, requestIds, {
            budgets,
            retry,
            now: clock,
            signal,
            ...(override && { destination: override }),
          }),
        );
      } finally {
        if (own !== warehouse) await own.close();
      }
    });
  }
  // Destinations erase side by side (each within its account's budget): the slowest sets the pace.
  let next = 0;
  const worker = async () => {
    while (next < erasures.length) await (erasures[next++] as () => Promise<void>)();
  };
  const workers = options.openWarehouse ? Math.min(ERASE_CONCURRENCY, erasures.length) : 1;
  await Promise.all(Array.from({ length: workers }, worker));
  report.erasures.sort((a, b) => a.sync.localeCompare(b.sync));
  await closeFinishedRequests(warehouse, tables, clock());
  return report;
}

/** Pending steps: step name → request ids. */
async function pendingSteps(warehouse: Warehouse, tables: PrivacyTables): Promise<Map<string, string[]>> {
  const d = warehouse.dialect;
  const rows = await warehouse.query(
    `SELECT step, request_id FROM ${d.qualify(tables.steps)} WHERE status = 'pending' ORDER BY step, request_id`,
  );
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const step = String(row.step);
    out.set(step, [...(out.get(step) ?? []), String(row.request_id)]);
  }
  return out;
}
