/**
 * Delivers an alert to the configured connection. Never throws: a failed delivery is returned
 * (the caller logs it), because an alert problem must not stop the scheduler. Error texts are
 * built here and stripped of the connection's URL and secrets.
 */
import { z } from 'zod';
import type { Project } from '../config/types.js';
import type { Alert } from './alert.js';
import { sendSlackAlert } from './slack.js';
import { sendWebhookAlert } from './webhook.js';

/** How a delivery went. */
export interface AlertDelivery {
  connection: string;
  ok: boolean;
  /** Why it was not delivered (safe to print). */
  error?: string;
}

/** Sends `alert` to `project.config.alerts.connection` (the config was validated on load). */
export async function sendAlert(project: Project, alert: Alert): Promise<AlertDelivery> {
  const name = project.config.alerts?.connection ?? '';
  const connection = project.config.connections[name];
  try {
    if (!connection) throw new Error('no alerts connection configured');
    const unavailable = project.config.unavailable_connections?.[name];
    if (unavailable) throw new Error(`connection '${name}' cannot be used here: ${unavailable}`);
    if (connection.type === 'slack') await sendSlackAlert(connection, alert);
    else if (connection.type === 'webhook') await sendWebhookAlert(connection, alert);
    else throw new Error(`connection type '${connection.type}' cannot take alerts`);
    return { connection: name, ok: true };
  } catch (error) {
    return { connection: name, ok: false, error: safeMessage(error, project, connection) };
  }
}

/** The error's message (and its cause's, for network errors) without URLs or secret values. */
function safeMessage(error: unknown, project: Project, connection?: Record<string, unknown>): string {
  const parts: string[] = [];
  if (error instanceof Error) {
    parts.push(error instanceof z.ZodError ? 'invalid connection settings' : error.message);
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) parts.push(cause.message);
  } else {
    parts.push(String(error));
  }
  let text = parts.join(': ');
  const hidden = [
    ...project.secrets,
    ...Object.values(connection ?? {}).filter((v): v is string => typeof v === 'string' && v.length >= 8),
  ];
  for (const secret of hidden) if (secret.length >= 4) text = text.split(secret).join('***');
  return text;
}
