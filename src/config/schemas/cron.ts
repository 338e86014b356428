/**
 * Cron expressions as `weft validate` checks them, with croner (the scheduler's own parser), so
 * an expression the scheduler would refuse, or one that can never fire, is reported at its
 * file and line instead of when `weft schedule` starts.
 */
import { Cron } from 'croner';

/** Why `expression` cannot schedule anything (UTC), or undefined when it can. */
export function cronProblem(expression: string): string | undefined {
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true, timezone: 'UTC' });
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '');
    return `'${expression}' is not a valid cron expression: ${why} (5 fields: minute hour day-of-month month day-of-week, or @hourly, @daily, @weekly, @monthly, @yearly)`;
  }
  if (cron.nextRun() === null) return `'${expression}' never fires: no date matches it (e.g. February 31)`;
  return undefined;
}
