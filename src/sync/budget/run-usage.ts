/**
 * A run's use of its account budget: today's count read before sending, written every few
 * seconds while sending (so a crash loses little of it) and once more when the push is over.
 */
import type { DestinationLogger } from '../../destination-kit/index.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { OpenDestination } from '../destination.js';
import type { AccountBudget } from './account-budget.js';
import { accountKey } from './account-key.js';
import type { AccountBudgets } from './budgets.js';

/** How often a running sync writes its account's request count. */
export const USAGE_FLUSH_MS = 5_000;

/** The budget a run sends through, and how it records what it sent. */
export interface RunUsage {
  budget: AccountBudget;
  /**
   * Stops the periodic writes and writes what is left (a failure is logged, not thrown). Call it
   * before the merge: nothing may interleave with the merge's transaction on the warehouse.
   */
  settle(): Promise<void>;
}

/** Finds the run's account budget in `budgets`, reads today's count and starts the periodic writes. */
export async function startRunUsage(
  budgets: AccountBudgets,
  target: OpenDestination,
  connection: string,
  warehouse: Warehouse,
  stateSchema: string,
  logger?: DestinationLogger,
): Promise<RunUsage> {
  const key = accountKey(target.destination, target.ctx.settings, connection);
  const budget = budgets.for(key, target.limits);
  await budget.load(warehouse, stateSchema);
  const timer = setInterval(() => {
    budget.flush(warehouse, stateSchema).catch(() => undefined); // written again at the end
  }, USAGE_FLUSH_MS).unref();
  return {
    budget,
    async settle() {
      clearInterval(timer);
      await budget.flush(warehouse, stateSchema).catch((error: unknown) => {
        logger?.warn('could not record destination usage', { account: key, error: String(error) });
      });
    },
  };
}
