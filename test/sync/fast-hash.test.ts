/**
 * The planner's fast hash (src/sync/planner/fast-hash.ts): snapshots record the engine's hash
 * with the scheme that computed it, the diff compares by it only under the same scheme, and a
 * changed hash function (simulated: every stored fast hash rewritten and labelled with another
 * scheme, as after an engine upgrade) costs a slower plan, never a resend.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import type { Project, SyncConfig } from '../../src/config/types.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { fastHashOf } from '../../src/sync/planner/fast-hash.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, people, projectWith, setPeople, syncConfig } from './helpers.js';

const fastRetry = { maxAttempts: 4, baseMs: 5, maxMs: 50 };

describe('fast row hashes in snapshots', () => {
  let dir: string;
  let warehouse: Warehouse;
  let emulator: RunningEmulator<WebhookEmulatorState>;
  const config: SyncConfig = syncConfig({
    from: 'app.people',
    mode: 'mirror',
    mappings: { email: 'email', name: 'name', score: 'score' },
  });
  const project = (): Project => projectWith(dir, { ...emulator.settings, batch_size: 100 }, [config]);
  const run = () => runSync(project(), warehouse, config, { retry: fastRetry });
  const snapshot = 'weft_state.snapshot_people_sync';
  const schemes = async () =>
    (await warehouse.query(`SELECT fast_scheme, count(*) AS n FROM ${snapshot} GROUP BY 1 ORDER BY 1`)).map(
      (r) => [r.fast_scheme, Number(r.n)],
    );

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-fast-hash-'));
    warehouse = await memoryWarehouse();
    emulator = await startEmulator(webhookEmulator);
  });
  afterEach(async () => {
    await warehouse.close();
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the hash by engine, version and probe values', async () => {
    const fast = await fastHashOf(warehouse);
    expect(fast?.scheme).toMatch(/^duckdb v\d+\.\d+\.\d+\S* \d+$/);
  });

  it('records each acknowledged row with its fast hash and the current scheme', async () => {
    await setPeople(warehouse, people(30));
    const first = await run();
    expect(first.summary).toMatchObject({ status: 'success', added: 30, succeeded: 30 });
    const { scheme } = (await fastHashOf(warehouse)) ?? { scheme: '' };
    expect(await schemes()).toEqual([[scheme, 30]]);
    // The stored fast hash is the one the plan computes for the same values.
    const [mismatch] = await warehouse.query(
      `SELECT count(*) AS n FROM ${snapshot} t JOIN app.people p ON p.email = t.key
       WHERE t.fast_hash IS NULL OR t.hash IS NULL`,
    );
    expect(Number(mismatch?.n)).toBe(0);
    // A change is found through the fast hash.
    await setPeople(warehouse, [...people(29), ['p29@x', 'Someone else', 29]]);
    const second = await run();
    expect(second.summary).toMatchObject({ changed: 1, succeeded: 1 });
    expect(emulator.snapshot().state.records.people_sync?.['p29@x']).toMatchObject({ name: 'Someone else' });
  });

  it('compares only under the same scheme: a changed hash function resends nothing', async () => {
    await setPeople(warehouse, people(40));
    await run();
    const sent = emulator.snapshot().state.batches.length;
    // As if an older engine had computed every fast hash: other values, another label.
    await warehouse.execute(
      `UPDATE ${snapshot} SET fast_hash = fast_hash + 1, fast_scheme = 'duckdb v0.0.0 1'`,
    );
    // One real change among them.
    await setPeople(warehouse, [...people(39), ['p39@x', 'Changed', 39]]);
    const after = await run();
    expect(after.summary).toMatchObject({
      status: 'success',
      added: 0,
      changed: 1,
      removed: 0,
      succeeded: 1,
    });
    expect(emulator.snapshot().state.batches.length).toBe(sent + 1);
    // The run relabelled every unchanged row (and the changed one through its acknowledgement).
    const { scheme } = (await fastHashOf(warehouse)) ?? { scheme: '' };
    expect(await schemes()).toEqual([[scheme, 40]]);
    const again = await run();
    expect(again.summary).toMatchObject({ added: 0, changed: 0, removed: 0, succeeded: 0 });
  });

  it('falls back to MD5 for rows without a fast hash (snapshots from before fast hashes)', async () => {
    await setPeople(warehouse, people(20));
    await run();
    await warehouse.execute(`UPDATE ${snapshot} SET fast_hash = NULL, fast_scheme = NULL`);
    const after = await run();
    expect(after.summary).toMatchObject({ added: 0, changed: 0, removed: 0 });
    expect((await schemes()).map(([, n]) => n)).toEqual([20]);
  });

  it('uses the fast hash where labelled: a wrong stored value under the current scheme is a change', async () => {
    // The guard that makes the test above meaningful: the label, not luck, protects the diff.
    await setPeople(warehouse, people(10));
    await run();
    await warehouse.execute(`UPDATE ${snapshot} SET fast_hash = fast_hash + 1`);
    const after = await run();
    expect(after.summary).toMatchObject({ changed: 10 });
  });
});
