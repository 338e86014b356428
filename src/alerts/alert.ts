/**
 * Whether a finished run deserves an alert, and the alert itself: one per bad run, carrying the
 * reason (the run's error, or what went wrong with its rows).
 */
import type { AlertsConfig } from '../config/types.js';
import type { RunSummary } from '../sync/types.js';

/** What an alert says about one run (the webhook body; Slack gets it as text). */
export interface Alert {
  sync: string;
  run_id: string;
  status: RunSummary['status'];
  /** Why the run is bad, in one sentence. */
  reason: string;
  counts: {
    added: number;
    changed: number;
    removed: number;
    succeeded: number;
    rejected: number;
    unacknowledged: number;
  };
  /** rejected / (succeeded + rejected); 0 when nothing was attempted. */
  rejection_rate: number;
}

/** Share of attempted rows the destination rejected. */
export function rejectionRate(summary: Pick<RunSummary, 'succeeded' | 'rejected'>): number {
  const attempted = summary.succeeded + summary.rejected;
  return attempted === 0 ? 0 : summary.rejected / attempted;
}

/** The alert for a run under `config`, or undefined when the run is fine by it. */
export function alertFor(summary: RunSummary, config: AlertsConfig): Alert | undefined {
  const rate = rejectionRate(summary);
  const byStatus = summary.status !== 'success' && config.on.includes(summary.status);
  const byRate = config.max_rejection_rate !== undefined && rate > config.max_rejection_rate;
  if (!byStatus && !byRate) return undefined;
  const reasons = [
    summary.error,
    summary.rejected > 0
      ? `${summary.rejected} of ${summary.succeeded + summary.rejected} rows rejected (${percent(rate)}${byRate ? `, above the ${percent(config.max_rejection_rate!)} threshold` : ''})`
      : undefined,
    summary.unacknowledged > 0
      ? `${summary.unacknowledged} rows not acknowledged (re-sent next run)`
      : undefined,
  ].filter((r): r is string => r !== undefined && r !== '');
  const { added, changed, removed, succeeded, rejected, unacknowledged } = summary;
  return {
    sync: summary.sync,
    run_id: summary.run_id,
    status: summary.status,
    reason: reasons.join('; ') || `run ended ${summary.status}`,
    counts: { added, changed, removed, succeeded, rejected, unacknowledged },
    rejection_rate: Math.round(rate * 10_000) / 10_000,
  };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
