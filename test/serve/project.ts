/** A throwaway weft project with an `events:` block and a DuckDB file warehouse, for collector tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadProject } from '../../src/config/project.js';
import type { Project } from '../../src/config/types.js';

export const WEB_KEY = 'web-write-key-0123456789';
export const SERVER_KEY = 'server-write-key-abcdefgh';

/** Writes the project files; `extra` is appended to weft.yml's `events:` block (indented by 2). */
export function writeEventsProject(extra = '', warehouse = 'type: duckdb\n  path: warehouse.duckdb'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'weft-serve-'));
  writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: collector_test
schema: weft
warehouse:
  ${warehouse}
events:
  schema: events
  landing_interval_ms: 100
  sources:
    web:
      write_key: "{{env 'TEST_WEB_KEY' '${WEB_KEY}'}}"
      cors_origins: ["https://shop.example"]
    backend:
      write_key: "${SERVER_KEY}"
${extra}`,
  );
  return dir;
}

/** Loads a project written by `writeEventsProject`. */
export async function loadEventsProject(dir: string): Promise<Project> {
  const { project, issues } = await loadProject(dir);
  if (!project) throw new Error(`test project does not load: ${JSON.stringify(issues)}`);
  return project;
}

/** Removes a project folder. */
export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Posts one /v1/batch of `track` events named `event` with these messageIds, as `key`'s source. */
export function sendBatch(
  url: string | undefined,
  key: string,
  ids: string[],
  event: string,
): Promise<Response> {
  return fetch(`${url}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      batch: ids.map((id) => ({ type: 'track', userId: 'u', event, messageId: id })),
    }),
  });
}

/**
 * A project whose one trigger (`models/triggers/alarm.yml`) sends every track `Alarm` to the
 * webhook at `webhookUrl` (connection `support_queue`); events from source `devices` (`key`),
 * landed every `landingIntervalMs`. For the tests that kill `weft serve` mid-trigger.
 */
export function writeAlarmTriggerProject(
  name: string,
  key: string,
  webhookUrl: string,
  landingIntervalMs: number,
): string {
  const dir = mkdtempSync(path.join(tmpdir(), `weft-${name.replaceAll('_', '-')}-`));
  writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: ${name}
warehouse: { type: duckdb, path: warehouse.duckdb }
connections:
  support_queue: { type: webhook, url: "${webhookUrl}", secret: weft-sandbox-secret }
events:
  landing_interval_ms: ${landingIntervalMs}
  sources:
    devices: { write_key: "${key}" }
`,
  );
  mkdirSync(path.join(dir, 'models/triggers'), { recursive: true });
  writeFileSync(
    path.join(dir, 'models/triggers/alarm.yml'),
    `on: { type: track, event: Alarm }
send:
  connection: support_queue
  template: "alarm {{event.messageId}}"
  include: [event]
`,
  );
  return dir;
}
