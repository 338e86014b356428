/**
 * weft.yml `privacy.schedule` in the scheduler: at each fire time (UTC cron) `weft schedule` runs
 * `weft privacy run` — every pending step of every open request, retried with the rate budgets —
 * and sends the inbound API's status callbacks. The last slot it ran for is kept in
 * `<state_schema>.load_schedule_state` under the name `weft:privacy` (no load can be named so).
 */
import { relationKind } from '../build/relations.js';
import type { Project } from '../config/types.js';
import { notifyStatusChanges } from '../privacy/callbacks.js';
import { maskQuoted } from '../privacy/hash.js';
import { inboundTable } from '../privacy/inbound.js';
import { runPendingSteps } from '../privacy/requests.js';
import type { AccountBudgets } from '../sync/budget/index.js';
import type { Warehouse } from '../warehouse/types.js';
import { latestSlot, parseCron } from './cron.js';
import { readLoadSlots, recordLoadSlot } from './loads-state.js';

/** The slot name of the privacy run in load_schedule_state. */
export const PRIVACY_SLOT = 'weft:privacy';

/** What the privacy run did in the scheduler. */
export type PrivacyEvent =
  | { type: 'privacy'; steps: number; erased: number; ms: number }
  | { type: 'privacy_failed'; message: string };

/** Whether weft.yml schedules `weft privacy run`. */
export function hasPrivacySchedule(project: Project): boolean {
  return project.config.privacy?.schedule !== undefined;
}

/** The slot the privacy run is due for at `now`, if it is due. */
export async function privacySlotDue(
  project: Project,
  warehouse: Warehouse,
  now: Date,
): Promise<Date | undefined> {
  const expression = project.config.privacy?.schedule;
  if (!expression) return undefined;
  const slot = latestSlot(parseCron(expression, 'weft.yml privacy.schedule'), now);
  if (!slot) return undefined;
  const last = (await readLoadSlots(warehouse, project.config.state_schema)).get(PRIVACY_SLOT);
  return last && last.getTime() >= slot.getTime() ? undefined : slot;
}

/**
 * `weft privacy run` for `slot`, on its own connection (`open`); the slot is recorded once the run
 * ends (a crash reruns it at the next start). Failures become a `privacy_failed` event.
 */
export async function runScheduledPrivacy(
  project: Project,
  open: () => Promise<Warehouse>,
  slot: Date,
  options: { budgets: AccountBudgets; signal: AbortSignal; emit: (event: PrivacyEvent) => void },
): Promise<void> {
  const started = performance.now();
  const warehouse = await open();
  try {
    const report = await runPendingSteps(project, warehouse, {
      budgets: options.budgets,
      signal: options.signal,
      openWarehouse: open,
    });
    if (await relationKind(warehouse, inboundTable(project.config.state_schema)))
      await notifyStatusChanges(project, warehouse, {
        say: (message) => options.emit({ type: 'privacy_failed', message }),
      });
    if (options.signal.aborted) return; // stopped: the slot stays due
    await recordLoadSlot(warehouse, project.config.state_schema, PRIVACY_SLOT, slot);
    options.emit({
      type: 'privacy',
      steps: Object.values(report.steps).reduce((a, b) => a + b, 0),
      erased: report.erasures.reduce((a, e) => a + e.acknowledged, 0),
      ms: Math.round(performance.now() - started),
    });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    options.emit({ type: 'privacy_failed', message: maskQuoted(message) });
  } finally {
    await warehouse.close();
  }
}
