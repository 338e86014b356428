import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';
import { withWarehouse } from '../../src/warehouse/shared-access.js';
import { exited, freePort, healthy, startServe } from './processes.js';
import { loadEventsProject, removeProject, waitFor, writeAlarmTriggerProject } from './project.js';

const KEY = 'alarm-write-key-123456';
let webhook: RunningEmulator<WebhookEmulatorState>;
let dir: string;

beforeAll(async () => {
  webhook = await startEmulator<unknown, WebhookEmulatorState>(webhookEmulator);
  dir = writeAlarmTriggerProject('serve_triggers', KEY, String(webhook.settings.url), 200);
});
afterAll(async () => {
  await webhook?.close();
  if (dir) removeProject(dir);
});

/** Sends one event; true when acknowledged (200), false when refused or the server is gone. */
async function send(url: string, id: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/v1/track`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}` },
      body: JSON.stringify({ userId: `device-${id}`, event: 'Alarm', messageId: id }),
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

describe('weft serve triggers under SIGKILL', () => {
  it('records each acknowledged event firing once and delivers it, across 3 kills', {
    timeout: 240_000,
  }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const acked = new Set<string>();
    let n = 0;
    for (let kill = 0; kill < 3; kill++) {
      const serve = startServe(dir, port);
      await waitFor('weft serve to start', () => healthy(url), 60_000);
      // Kill after a varying number of events: mid-landing, mid-delivery or idle.
      const count = 10 + kill * 7;
      for (let i = 0; i < count; i++) {
        const id = `alarm-${n++}`;
        if (await send(url, id)) acked.add(id);
      }
      await new Promise((r) => setTimeout(r, kill * 150));
      serve.kill('SIGKILL');
      await exited(serve);
    }
    const serve = startServe(dir, port);
    await waitFor('weft serve to start', () => healthy(url), 60_000);
    const project = await loadEventsProject(dir);
    const held = () => Object.keys(webhook.snapshot().state.records['trigger:alarm'] ?? {}).length;
    await waitFor(
      'every acknowledged event delivered',
      async () => (held() >= acked.size ? true : undefined),
      90_000,
    );
    serve.kill('SIGTERM');
    await exited(serve);

    const runs = await withWarehouse(project, (w) =>
      w.query<{ message_id: string; status: string }>(
        'SELECT message_id, status FROM weft_state.trigger_runs ORDER BY message_id',
      ),
    );
    expect(acked.size).toBeGreaterThan(20);
    // Exactly one firing per acknowledged event, delivered; nothing for an event never acknowledged.
    expect(runs.map((r) => r.message_id).sort()).toEqual([...acked].sort());
    expect(runs.every((r) => r.status === 'delivered')).toBe(true);
    const delivered = Object.values(webhook.snapshot().state.records['trigger:alarm'] ?? {}).map(
      (row) => (row.event as { messageId: string }).messageId,
    );
    expect(delivered.sort()).toEqual([...acked].sort());
  });
});
