/** Alert for one finished run if weft.yml's `alerts:` says it is bad: decide, then deliver. */
import type { Project } from '../config/types.js';
import type { RunSummary } from '../sync/types.js';
import { type Alert, alertFor } from './alert.js';
import { type AlertDelivery, sendAlert } from './send.js';

/** The alert sent for `summary` and how its delivery went; undefined when none was due. */
export async function alertRun(
  project: Project,
  summary: RunSummary,
): Promise<{ alert: Alert; delivery: AlertDelivery } | undefined> {
  const config = project.config.alerts;
  const alert = config ? alertFor(summary, config) : undefined;
  if (!alert) return undefined;
  return { alert, delivery: await sendAlert(project, alert) };
}
