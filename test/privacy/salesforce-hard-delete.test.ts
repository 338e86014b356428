/**
 * Salesforce erasure with `hard_delete: true`: where the run-as user has the "Bulk API Hard
 * Delete" permission, a Bulk API 2.0 hardDelete job erases the contact (nothing in the recycle
 * bin; the job id is the ledger's response id); where it has not, weft falls back to the ordinary
 * delete (the contact goes to the recycle bin) and the step is still acknowledged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, SyncConfig } from '../../src/config/types.js';
import { createErasureRequests, runPendingSteps } from '../../src/privacy/requests.js';
import { privacyStatus } from '../../src/privacy/status.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { type SalesforceSandbox, startSalesforce } from '../destinations/salesforce-harness.js';
import { memoryWarehouse, projectWith, setPeople, syncConfig } from '../sync/helpers.js';

let allowed: SalesforceSandbox;
let denied: SalesforceSandbox;
let warehouse: Warehouse;
let dir: string;
let project: Project;
const contacts = (name: string, connection: string): SyncConfig =>
  syncConfig({
    name,
    from: 'app.people',
    connection,
    key: 'email',
    mappings: { Email: 'email', LastName: 'name' },
  });
const emails = (sf: SalesforceSandbox) =>
  Object.values(sf.snapshot().state.records.Contact ?? {})
    .map((r) => String(r.Email))
    .sort();

beforeAll(async () => {
  allowed = await startSalesforce({ bulkProcessingPolls: 0 });
  denied = await startSalesforce({ bulkProcessingPolls: 0, hardDeleteAllowed: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-sf-hard-'));
  warehouse = await memoryWarehouse();
  project = projectWith(dir, {}, [contacts('sf_hard', 'sf_hard'), contacts('sf_soft', 'sf_soft')]);
  project.config.connections = {
    sf_hard: { ...allowed.settings, type: 'salesforce', hard_delete: true, bulk_poll_ms: 10 },
    sf_soft: { ...denied.settings, type: 'salesforce', hard_delete: true, bulk_poll_ms: 10 },
  };
  await setPeople(warehouse, [
    ['p1@x.io', 'One', 1],
    ['p2@x.io', 'Two', 2],
  ]);
  for (const { value } of project.syncs) {
    const run = await runSync(project, warehouse, value);
    expect(run.summary.status).toBe('success');
  }
});
afterAll(async () => {
  await warehouse?.close();
  await allowed?.close();
  await denied?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Salesforce hard delete', () => {
  it('hard-deletes where allowed, and falls back to the recycle bin where not', async () => {
    const [filed] = await createErasureRequests(project, warehouse, [['email:p1@x.io']]);
    await runPendingSteps(project, warehouse, { retry: { maxAttempts: 2, baseMs: 1, maxMs: 5 } });
    const [view] = await privacyStatus(warehouse, 'weft_state', {
      requestId: filed?.request_id as string,
      now: new Date(),
      warnDays: 7,
    });
    const steps = Object.fromEntries((view?.steps ?? []).map((s) => [s.step, s]));
    expect(steps['sync:sf_hard']).toMatchObject({ status: 'acknowledged', records: 1 });
    expect(steps['sync:sf_soft']).toMatchObject({ status: 'acknowledged', records: 1 });

    expect(emails(allowed)).toEqual(['p2@x.io']);
    expect(allowed.snapshot().state.recycleBin).toEqual([]);
    const hardJob = allowed.snapshot().state.bulkJobs.find((j) => j.operation === 'hardDelete');
    expect(hardJob).toMatchObject({ state: 'JobComplete', records: 1 });
    expect(steps['sync:sf_hard']?.response_id).toBe(hardJob?.id);

    expect(emails(denied)).toEqual(['p2@x.io']);
    expect(denied.snapshot().state.recycleBin).toHaveLength(1);
    expect(denied.snapshot().state.bulkJobs).toEqual([]);
    expect(steps['sync:sf_soft']?.response_id).toBeNull();
  });
});
