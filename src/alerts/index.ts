/** Alerts on bad runs (failed, partial, too many rejections) to a webhook or Slack connection. */
export { type Alert, alertFor, rejectionRate } from './alert.js';
export { alertRun } from './notify.js';
export { type AlertDelivery, sendAlert } from './send.js';
export { slackText } from './slack.js';
