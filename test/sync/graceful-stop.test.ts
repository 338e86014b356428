/**
 * Graceful stop (`runSync(..., { stop })`, what the scheduler does on SIGTERM): no new batches,
 * the ones in flight settle and are recorded, the journal is merged with the run row, the run
 * ends partial "stopped: <reason>", and the next run sends exactly the rest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import type { SyncConfig } from '../../src/config/types.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { journalDir } from '../../src/sync/journal/journal-file.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, people, projectWith, setPeople, syncConfig } from './helpers.js';

const retry = { maxAttempts: 4, baseMs: 5, maxMs: 50 };

describe('graceful stop', () => {
  let dir: string;
  let warehouse: Warehouse;
  let emulator: RunningEmulator<WebhookEmulatorState>;
  const config: SyncConfig = syncConfig({ from: 'app.people', mappings: { email: 'email', name: 'name' } });
  const project = (settings: Record<string, unknown> = {}) =>
    projectWith(dir, { ...emulator.settings, batch_size: 5, concurrency: 2, ...settings }, [config]);
  const held = () => Object.keys(emulator.snapshot().state.records.people_sync ?? {}).sort();
  const snapshot = async () =>
    (await warehouse.query('SELECT key FROM weft_state.snapshot_people_sync ORDER BY key')).map((r) =>
      String(r.key),
    );

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-stop-'));
    warehouse = await memoryWarehouse();
    emulator = await startEmulator(webhookEmulator);
  });
  afterEach(async () => {
    await warehouse.close();
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('mid-run: in-flight batches settle, only acknowledged rows are committed, the next run sends the rest', async () => {
    await setPeople(warehouse, people(100));
    const stop = new AbortController();
    const first = await runSync(
      project({ rate_limit: { requests: 20, per_seconds: 1 } }),
      warehouse,
      config,
      {
        retry,
        stop: stop.signal,
        onProgress: (counts) => {
          if (counts.succeeded >= 20) stop.abort('SIGTERM');
        },
      },
    );
    const sent = first.summary.succeeded;
    expect(first.summary).toMatchObject({ status: 'partial', error: 'stopped: SIGTERM', added: 100 });
    expect(sent).toBeGreaterThanOrEqual(20);
    expect(sent).toBeLessThan(100);
    expect(first.summary.unacknowledged).toBe(100 - sent);
    // Nothing half-committed: the snapshot holds exactly what the receiver acknowledged.
    expect(await snapshot()).toEqual(held());
    expect(held()).toHaveLength(sent);
    const [run] = await warehouse.query('SELECT status, succeeded, error FROM weft_state.sync_runs');
    expect(run).toEqual({ status: 'partial', succeeded: sent, error: 'stopped: SIGTERM' });
    expect(fs.readdirSync(journalDir(dir, config.name))).toEqual([]); // merged and removed

    const rowsBefore = emulator.snapshot().state.rowsReceived;
    const second = await runSync(project(), warehouse, config, { retry });
    expect(second.summary).toMatchObject({ status: 'success', added: 100 - sent, succeeded: 100 - sent });
    expect(emulator.snapshot().state.rowsReceived - rowsBefore).toBe(100 - sent); // exactly the rest
    expect(held()).toHaveLength(100);
    expect(await snapshot()).toEqual(held());
  });

  it('does not wait for calls queued behind a rate-limit pause', async () => {
    await setPeople(warehouse, people(30));
    // The receiver asks to wait 60 s: every queued call waits; the stop drops them instead.
    emulator.injectFaults({ fail: [{ kind: 'status', status: 429, retryAfter: '60' }] });
    const stop = new AbortController();
    const outcome = await runSync(project({ concurrency: 1 }), warehouse, config, {
      retry,
      stop: stop.signal,
      // Stop once the receiver has refused the first call (the others wait in the paused queue).
      onPlan: () => {
        const poll = setInterval(() => {
          if (!emulator.snapshot().stats.statuses['429']) return;
          clearInterval(poll);
          stop.abort('SIGTERM');
        }, 5);
      },
    });
    expect(outcome.summary).toMatchObject({
      status: 'partial',
      error: 'stopped: SIGTERM',
      succeeded: 0,
      unacknowledged: 30,
    });
    expect(emulator.snapshot().stats.requests).toBe(1);
    expect(await snapshot()).toEqual([]);
  });

  it('a stop before anything is sent ends partial and sends nothing', async () => {
    await setPeople(warehouse, people(10));
    const outcome = await runSync(project(), warehouse, config, {
      retry,
      stop: AbortSignal.abort('shutting down'),
    });
    expect(outcome.summary).toMatchObject({
      status: 'partial',
      error: 'stopped: shutting down',
      added: 10,
      unacknowledged: 10,
    });
    expect(emulator.snapshot().stats.requests).toBe(0);
  });
});
