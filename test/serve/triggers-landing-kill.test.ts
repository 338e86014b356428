/**
 * The trigger journal's landing across SIGKILL: `weft serve` (the compiled CLI, a real child
 * process) is killed while the firings its journal recorded are being landed into trigger_runs
 * (every firing delivered and its outcome journaled, the journal not landed yet; the kill lands
 * at varying moments of the landing cycle, some in the middle of a landing). After each restart
 * and a last one: every acknowledged event's firing is in trigger_runs exactly once, delivered;
 * nothing was applied twice (the webhook emulator applied each firing once); nothing was lost;
 * and no restarted serve sent anything of an earlier round: every firing was delivered and its
 * outcome journaled before the kill, so a restart has nothing to resend. A batch sent again by
 * the serve that fired it (its answer lost: at-least-once, docs/triggers.md) keeps its batch_id
 * and is dropped as a replay; that is allowed, a resend across a kill is not. The journal is read
 * from this process while serve runs (LMDB allows readers in other processes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { open } from 'lmdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type WebhookEmulatorOptions,
  type WebhookEmulatorState,
  webhookEmulator,
} from '../../destinations/webhook/emulator.js';
import { type EmulatorDefinition, type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';
import { withWarehouse } from '../../src/warehouse/shared-access.js';
import { exited, freePort, healthy, startServe } from './processes.js';
import { loadEventsProject, removeProject, waitFor, writeAlarmTriggerProject } from './project.js';

const KEY = 'landing-write-key-123456';
let webhook: RunningEmulator<WebhookEmulatorState>;
let dir: string;
/** Which serve process is running: its round (the last one: the restart after the kills). */
let round = 0;
/** Every request the receiver got (replays too): the round it came in, its batch, its events. */
const requests: Array<{ round: number; batchId: string; messageIds: string[] }> = [];

/** The webhook emulator, noting each request's round before it handles it. */
const noting: EmulatorDefinition<WebhookEmulatorOptions> = {
  ...webhookEmulator,
  create(options) {
    const app = webhookEmulator.create(options);
    return {
      ...app,
      handle(request, tools) {
        const batch = request.json() as
          | { batch_id?: string; rows?: Array<{ data?: { event?: { messageId?: string } } }> }
          | undefined;
        requests.push({
          round,
          batchId: String(batch?.batch_id),
          messageIds: (batch?.rows ?? []).map((row) => String(row.data?.event?.messageId)),
        });
        return app.handle(request, tools);
      },
    };
  },
};

beforeAll(async () => {
  webhook = await startEmulator<unknown, WebhookEmulatorState>(noting);
  dir = writeAlarmTriggerProject('serve_landing', KEY, String(webhook.settings.url), 300);
});
afterAll(async () => {
  await webhook?.close();
  if (dir) removeProject(dir);
});

/** Firings not delivered yet, and journal entries not landed yet (read from the journal's file). */
function journalCounts(): { pending: number; unlanded: number } | undefined {
  const file = path.join(dir, '.weft/triggers/journal.mdb');
  if (!fs.existsSync(file)) return undefined;
  const db = open({ path: file, readOnly: true, compression: false });
  try {
    return {
      pending: db.getKeysCount({ start: ['p'], end: ['p', '\uffff'] }),
      unlanded: db.getKeysCount({ start: ['j'], end: ['j', Number.MAX_SAFE_INTEGER] }),
    };
  } finally {
    db.close();
  }
}

/** Posts one batch of Alarm events; the ids acknowledged (all or none). */
async function sendAlarms(url: string, ids: string[]): Promise<string[]> {
  try {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        batch: ids.map((id) => ({ type: 'track', userId: `device-${id}`, event: 'Alarm', messageId: id })),
      }),
    });
    return response.status === 200 ? ids : [];
  } catch {
    return [];
  }
}

describe('the trigger journal landing under SIGKILL', () => {
  it('lands each acknowledged firing once, sends nothing twice, loses nothing, across 5 kills', {
    timeout: 300_000,
  }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const acked = new Set<string>();
    /** messageId → the round whose serve acknowledged it (and fired it). */
    const ackedIn = new Map<string, number>();
    const delivered = () => Object.keys(webhook.snapshot().state.records['trigger:alarm'] ?? {}).length;
    let n = 0;
    let killedUnlanded = 0;
    // After the journal holds everything delivered: kill at once, or a little into the landing
    // cycle (300 ms), so some kills fall in the middle of a landing.
    const delays = [0, 40, 110, 190, 270];
    for (const [r, delay] of delays.entries()) {
      round = r;
      const serve = startServe(dir, port);
      await waitFor('weft serve to start', () => healthy(url), 60_000);
      for (let b = 0; b < 3 + round; b++) {
        const ids = Array.from({ length: 40 }, () => `alarm-${n++}`);
        for (const id of await sendAlarms(url, ids)) {
          acked.add(id);
          ackedIn.set(id, round);
        }
      }
      // Every firing so far delivered and its outcome journaled (none pending), not all landed.
      const counts = await waitFor(
        'the firings delivered and journaled',
        async () => {
          const c = journalCounts();
          return delivered() >= acked.size && c && c.pending === 0 ? c : undefined;
        },
        60_000,
      );
      if (counts.unlanded > 0) killedUnlanded++;
      await new Promise((r) => setTimeout(r, delay));
      serve.kill('SIGKILL');
      await exited(serve);
    }
    round = delays.length;
    const serve = startServe(dir, port);
    await waitFor('weft serve to start', () => healthy(url), 60_000);
    await waitFor(
      'the journal landed',
      async () => (journalCounts()?.unlanded === 0 ? true : undefined),
      60_000,
    );
    serve.kill('SIGTERM');
    await exited(serve);

    // The kills fell while the journal held firings to land (else this tests nothing).
    expect(killedUnlanded).toBeGreaterThanOrEqual(3);
    expect(acked.size).toBeGreaterThanOrEqual(5 * 120);
    const project = await loadEventsProject(dir);
    const runs = await withWarehouse(project, (w) =>
      w.query<{ message_id: string; status: string; n: bigint }>(
        'SELECT message_id, status, count(*) OVER (PARTITION BY message_id) AS n FROM weft_state.trigger_runs',
      ),
    );
    // Exactly one row per acknowledged event, delivered; none for anything else.
    expect(runs.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(runs.map((r) => r.message_id).sort()).toEqual([...acked].sort());
    expect(runs.filter((r) => r.status !== 'delivered')).toEqual([]);
    // Nothing sent by a later serve than the one that fired it: every firing was delivered and
    // journaled before each kill, so a restart resends nothing (the round of each request's
    // events is the round of the request). A repeat by the same serve (at-least-once after a lost
    // answer) keeps its batch_id and is dropped by the receiver: it is counted, never applied.
    const resent = requests
      .map((request) => ({
        ...request,
        messageIds: request.messageIds.filter((id) => ackedIn.get(id) !== request.round),
      }))
      .filter((request) => request.messageIds.length > 0);
    expect(resent).toEqual([]);
    const state = webhook.snapshot().state;
    expect(state.rowsReceived).toBe(acked.size);
    const received = Object.values(state.records['trigger:alarm'] ?? {}).map(
      (row) => (row.event as { messageId: string }).messageId,
    );
    expect(received.sort()).toEqual([...acked].sort());
  });
});
