/** AccountBudgets: the budgets of every destination account a process writes to, by account key. */
import type { Project } from '../../config/types.js';
import { effectiveLimits } from '../../destination-kit/index.js';
import { destinationFor } from '../destination.js';
import { AccountBudget } from './account-budget.js';
import { accountKey } from './account-key.js';
import type { AccountLimits } from './strictest.js';

/**
 * One AccountBudget per destination account, shared by the runs given this object
 * (`runSync(..., { budget })`). A run without one gets a private budget, as if alone.
 */
export class AccountBudgets {
  private readonly accounts = new Map<string, AccountBudget>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * Budgets for every sync of the project, declared up front so each account starts with the
   * strictest limits its syncs declare (syncs whose connection does not resolve are skipped:
   * their runs fail on their own).
   */
  static forProject(project: Project, now?: () => Date): AccountBudgets {
    const budgets = new AccountBudgets(now);
    for (const { value: config } of project.syncs) {
      try {
        const { destination, settings } = destinationFor(project, config);
        budgets.for(
          accountKey(destination, settings, config.connection),
          effectiveLimits(destination, settings),
        );
      } catch {
        // Not resolvable (unknown connection or type): nothing to budget.
      }
    }
    return budgets;
  }

  /** The budget of account `key`: created with `limits`, or tightened to the strictest of both. */
  for(key: string, limits: AccountLimits): AccountBudget {
    const known = this.accounts.get(key);
    if (known) {
      known.tighten(limits);
      return known;
    }
    const budget = new AccountBudget(key, limits, this.now);
    this.accounts.set(key, budget);
    return budget;
  }

  /** Account keys with a budget. */
  keys(): string[] {
    return [...this.accounts.keys()];
  }
}
