/** Shared rate budgets per destination account: one queue, one 429 pause, one daily quota. */
export { AccountBudget, type BudgetCallOptions, DailyQuotaExhausted } from './account-budget.js';
export { accountKey } from './account-key.js';
export { AccountBudgets } from './budgets.js';
export { queuePriority, type SyncPriority } from './priority.js';
export { type RunUsage, startRunUsage, USAGE_FLUSH_MS } from './run-usage.js';
export { type AccountLimits, strictestLimits } from './strictest.js';
export { readUsage, utcDay } from './usage.js';
