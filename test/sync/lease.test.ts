import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLease, releaseLease, SyncAlreadyRunningError } from '../../src/sync/state/lease.js';
import { ensureStateTables } from '../../src/sync/state/tables.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse } from './helpers.js';

describe('sync lease', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await memoryWarehouse();
    await ensureStateTables(warehouse, 'weft_state');
  });
  afterEach(async () => warehouse.close());

  const holderRows = () =>
    warehouse.query('SELECT sync, run_id FROM weft_state.sync_leases WHERE run_id IS NOT NULL ORDER BY sync');

  it('lets one run hold a sync; a second gets a clear error until it is released', async () => {
    await acquireLease(warehouse, 'weft_state', 's1', 'run-a');
    const second = acquireLease(warehouse, 'weft_state', 's1', 'run-b');
    await expect(second).rejects.toBeInstanceOf(SyncAlreadyRunningError);
    await expect(second).rejects.toThrow(/^sync s1 is already running \(run run-a, started \d{4}-/);
    await acquireLease(warehouse, 'weft_state', 's2', 'run-c'); // other syncs are independent
    await releaseLease(warehouse, 'weft_state', 's1', 'run-a');
    await acquireLease(warehouse, 'weft_state', 's1', 'run-b');
    expect(await holderRows()).toEqual([
      { sync: 's1', run_id: 'run-b' },
      { sync: 's2', run_id: 'run-c' },
    ]);
  });

  it('takes over an expired lease and one whose holder process is dead', async () => {
    await acquireLease(warehouse, 'weft_state', 's1', 'run-old', 1);
    await new Promise((r) => setTimeout(r, 5));
    await acquireLease(warehouse, 'weft_state', 's1', 'run-new');
    // A lease held by a process of this host that no longer exists (a kill -9).
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    await warehouse.execute(
      `UPDATE weft_state.sync_leases SET holder = '${os.hostname()}/${dead}' WHERE run_id = 'run-new'`,
    );
    await acquireLease(warehouse, 'weft_state', 's1', 'run-after-crash');
    expect(await holderRows()).toEqual([{ sync: 's1', run_id: 'run-after-crash' }]);
  });

  it('lets only one of two racing acquirers win (two connections to one database)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-lease-'));
    const open = () => openWarehouse({ type: 'duckdb', path: 'w.duckdb' }, { projectDir: dir });
    const [a, b] = [await open(), await open()];
    try {
      await ensureStateTables(a, 'weft_state');
      for (let round = 0; round < 5; round++) {
        const results = await Promise.allSettled([
          acquireLease(a, 'weft_state', `race${round}`, 'run-1'),
          acquireLease(b, 'weft_state', `race${round}`, 'run-2'),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(SyncAlreadyRunningError);
        expect(
          await a.query(
            `SELECT run_id FROM weft_state.sync_leases WHERE sync = 'race${round}' AND run_id IS NOT NULL`,
          ),
        ).toHaveLength(1);
      }
    } finally {
      await a.close();
      await b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
