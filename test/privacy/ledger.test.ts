/**
 * The ledger across runs, without identity.yml (the typed identifier is the sync key): a row a
 * concurrent sync acknowledged after the request was planned reopens the step on the next run,
 * which erases it too; a destination rejecting the delete leaves the step failed, not retried.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEmulator } from '../../destinations/webhook/emulator.js';
import type { Project } from '../../src/config/types.js';
import { createErasureRequests, runPendingSteps } from '../../src/privacy/requests.js';
import { privacyStatus } from '../../src/privacy/status.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, projectWith, setPeople, syncConfig } from '../sync/helpers.js';

let hook: RunningEmulator;
let warehouse: Warehouse;
let dir: string;
let project: Project;
const sync = syncConfig({
  name: 'people_hook',
  from: 'app.people',
  mappings: { email: 'email', name: 'name' },
});
const now = () => new Date('2026-03-01T10:00:00Z');
const keys = () =>
  Object.keys(
    (hook.snapshot().state as { records: Record<string, Record<string, unknown>> }).records.people_hook ?? {},
  ).sort();
const stepOf = async (id: string) =>
  (await privacyStatus(warehouse, 'weft_state', { requestId: id, now: now(), warnDays: 7 }))[0];

beforeAll(async () => {
  hook = await startEmulator(webhookEmulator, {});
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-ledger-'));
  warehouse = await memoryWarehouse();
  project = projectWith(dir, hook.settings, [sync]);
  await setPeople(warehouse, [
    ['p1@x.io', 'One', 1],
    ['p2@x.io', 'Two', 2],
    ['p3@x.io', 'Three', 3],
  ]);
  await runSync(project, warehouse, sync);
});
afterAll(async () => {
  await warehouse?.close();
  await hook?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the privacy ledger across runs', () => {
  it('reopens a step when a late acknowledgement lands in the snapshot, and erases that row too', async () => {
    const [filed] = await createErasureRequests(project, warehouse, [['email:P2@X.io']], { now });
    const id = filed?.request_id as string;
    expect(filed).toMatchObject({ profile_found: false, identifiers: 1 });
    expect(filed?.due_at.toISOString()).toBe('2026-03-31T10:00:00.000Z');
    await runPendingSteps(project, warehouse, { now });
    expect(keys()).toEqual(['p1@x.io', 'p3@x.io']);
    let view = await stepOf(id);
    expect(view?.status).toBe('completed');
    expect(view?.steps?.find((s) => s.step === 'sync:people_hook')).toMatchObject({
      status: 'acknowledged',
      records: 1,
    });

    // A run that was in flight when the request was filed acknowledged another spelling of them.
    await warehouse.execute(
      "INSERT INTO weft_state.snapshot_people_hook (key, hash, synced_at, run_id) VALUES (' P2@x.io', 'h', now(), 'late')",
    );
    await runPendingSteps(project, warehouse, { now });
    view = await stepOf(id);
    expect(view?.status).toBe('completed');
    expect(view?.steps?.find((s) => s.step === 'sync:people_hook')).toMatchObject({
      status: 'acknowledged',
      records: 1,
      attempts: 2,
    });
    const [left] = await warehouse.query('SELECT count(*) AS n FROM weft_state.snapshot_people_hook');
    expect(Number(left?.n)).toBe(2);
  });

  it('records a rejected delete as failed, with the identifier masked, and does not retry it', async () => {
    hook.injectFaults({
      reject: [{ field: 'key', equals: 'p3@x.io', reason: 'cannot delete p3@x.io: on legal hold' }],
    });
    const [filed] = await createErasureRequests(project, warehouse, [['email:p3@x.io']], { now });
    const id = filed?.request_id as string;
    await runPendingSteps(project, warehouse, { now });
    const step = (await stepOf(id))?.steps?.find((s) => s.step === 'sync:people_hook');
    expect(step).toMatchObject({ status: 'failed', attempts: 1 });
    expect(step?.last_error).toContain('on legal hold');
    expect(step?.last_error).not.toContain('p3@x.io');
    expect((await stepOf(id))?.status).toBe('completed_with_exceptions');
    await runPendingSteps(project, warehouse, { now });
    expect((await stepOf(id))?.steps?.find((s) => s.step === 'sync:people_hook')?.attempts).toBe(1);
    expect(keys()).toEqual(['p1@x.io', 'p3@x.io']);
  });
});
