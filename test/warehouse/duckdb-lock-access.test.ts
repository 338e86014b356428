/**
 * withWarehouse's policy (a DuckDB file is released after each unit, or kept warm with keepWarm
 * until another process asks for it; other warehouses are kept for the next unit) and the lock
 * timeout settings.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { idleMarkerPath, noteWanted } from '../../src/warehouse/duckdb/idle-holder.js';
import { lockTimeoutMs } from '../../src/warehouse/duckdb/lock-wait.js';
import { closeIdleWarehouses, withWarehouse } from '../../src/warehouse/shared-access.js';
import type { Warehouse, WarehouseConnectionConfig } from '../../src/warehouse/types.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-lock-access-'));
afterAll(async () => {
  await closeIdleWarehouses();
  fs.rmSync(dir, { recursive: true, force: true });
});

function projectWith(warehouse: WarehouseConnectionConfig): Project {
  return { dir, config: { warehouse } } as unknown as Project;
}

/** Opens the file from another process, as another weft command would; its exit code. */
function openElsewhere(file: string): number | null {
  const script = `require('@duckdb/node-api').DuckDBInstance.create(process.argv[1]).then(
    (i) => { i.closeSync(); process.exit(0); }, (e) => { console.error(e.message); process.exit(3); })`;
  return spawnSync(process.execPath, ['-e', script, file], { cwd: process.cwd() }).status;
}

/**
 * Opens the file from another process through weft's own opener (dist/, built by `npm test`),
 * with `lock_timeout: 0`: it fails at once on a file a non-weft process holds at work (this test
 * process), but asks a holder that holds it idle; its exit code. Asynchronous, so this process can
 * answer meanwhile.
 */
function openAsWeft(file: string): Promise<number | null> {
  const registry = pathToFileURL(path.resolve('dist/src/warehouse/registry.js')).href;
  const script = `import(${JSON.stringify(registry)}).then(async ({ openWarehouse }) => {
    const w = await openWarehouse({ type: 'duckdb', path: process.argv[1], lock_timeout: 0 }, { projectDir: '/' });
    await w.query('SELECT 1'); await w.close(); process.exit(0);
  }).catch((e) => { console.error(e.message); process.exit(3); })`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, file], { stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });
}

describe('withWarehouse', () => {
  it('releases a DuckDB file after each unit, so another process can open it in between', async () => {
    const project = projectWith({ type: 'duckdb', path: 'units.duckdb', lock_timeout: 0 });
    const file = path.join(dir, 'units.duckdb');
    const heldInside = await withWarehouse(project, async (warehouse) => {
      await warehouse.execute('CREATE TABLE t AS SELECT 1 AS v');
      return openElsewhere(file);
    });
    expect(heldInside).toBe(3); // locked while the unit runs
    expect(openElsewhere(file)).toBe(0); // free between units
    expect(await withWarehouse(project, (w) => w.query('SELECT v FROM t'))).toEqual([{ v: 1 }]);
  });

  it('keeps a warehouse without a file lock for the next unit (an in-memory database survives)', async () => {
    const project = projectWith({ type: 'duckdb', path: ':memory:' });
    let first: Warehouse | undefined;
    await withWarehouse(project, async (warehouse) => {
      first = warehouse;
      await warehouse.execute('CREATE TABLE kept AS SELECT 42 AS v');
    });
    const [same, rows] = await withWarehouse(project, async (w) => [
      w === first,
      await w.query('SELECT v FROM kept'),
    ]);
    expect(same).toBe(true);
    expect(rows).toEqual([{ v: 42 }]);
  });

  it('gives concurrent units their own warehouse, and does not reuse one whose unit failed', async () => {
    const project = projectWith({ type: 'duckdb', path: ':memory:' });
    const seen: Warehouse[] = [];
    await Promise.all(
      [0, 1].map(() =>
        withWarehouse(project, async (w) => {
          seen.push(w);
          await new Promise((r) => setTimeout(r, 20));
        }),
      ),
    );
    expect(seen[0]).not.toBe(seen[1]);
    let failed: Warehouse | undefined;
    await withWarehouse(project, async (w) => {
      failed = w;
      throw new Error('unit failed');
    }).catch(() => undefined);
    await withWarehouse(project, async (w) => {
      expect(w).not.toBe(failed);
    });
  });
});

describe('withWarehouse keepWarm (the console)', () => {
  it('keeps a DuckDB file open after a unit, marked idle, until another weft process asks for it', async () => {
    const project = projectWith({ type: 'duckdb', path: 'warm.duckdb', lock_timeout: 0 });
    const file = path.join(dir, 'warm.duckdb');
    await withWarehouse(project, (w) => w.execute('CREATE TABLE t AS SELECT 7 AS v'), { keepWarm: true });
    expect(fs.readFileSync(idleMarkerPath(file), 'utf8')).toBe(String(process.pid));
    expect(openElsewhere(file)).toBe(3); // still open: a plain DuckDB open is refused
    expect(await openAsWeft(file)).toBe(0); // weft's opener asks, and gets it
    expect(fs.existsSync(idleMarkerPath(file))).toBe(false);
    expect(openElsewhere(file)).toBe(0); // released
    expect(await withWarehouse(project, (w) => w.query('SELECT v FROM t'), { keepWarm: true })).toEqual([
      { v: 7 },
    ]);
    await closeIdleWarehouses();
    expect(fs.existsSync(idleMarkerPath(file))).toBe(false);
    expect(openElsewhere(file)).toBe(0);
  });

  it('does not keep the file when another process is waiting for it, and stays warm after a failed unit', async () => {
    const project = projectWith({ type: 'duckdb', path: 'wanted.duckdb', lock_timeout: 0 });
    const file = path.join(dir, 'wanted.duckdb');
    noteWanted(file); // as a process waiting for the file does on each try
    await withWarehouse(project, (w) => w.execute('CREATE TABLE t AS SELECT 1 AS v'), { keepWarm: true });
    expect(fs.existsSync(idleMarkerPath(file))).toBe(false);
    expect(openElsewhere(file)).toBe(0);
    fs.rmSync(`${file}.weft-wanted`);
    let failed: Warehouse | undefined;
    await expect(
      withWarehouse(
        project,
        async (w) => {
          failed = w;
          throw new Error('unit failed');
        },
        { keepWarm: true },
      ),
    ).rejects.toThrow('unit failed');
    expect(fs.readFileSync(idleMarkerPath(file), 'utf8')).toBe(String(process.pid));
    await withWarehouse(
      project,
      async (w) => {
        expect(w).not.toBe(failed);
        expect(await w.query('SELECT v FROM t')).toEqual([{ v: 1 }]);
      },
      { keepWarm: true },
    );
    await closeIdleWarehouses();
    expect(openElsewhere(file)).toBe(0);
  });
});

describe('lockTimeoutMs', () => {
  const duckdb = (extra: Record<string, unknown> = {}) => ({ type: 'duckdb', ...extra });
  it('defaults to 30 s, reads lock_timeout, and WEFT_DUCKDB_LOCK_TIMEOUT wins', () => {
    expect(lockTimeoutMs(duckdb(), {})).toBe(30_000);
    expect(lockTimeoutMs(duckdb({ lock_timeout: 2.5 }), {})).toBe(2500);
    expect(lockTimeoutMs(duckdb({ lock_timeout: 2.5 }), { WEFT_DUCKDB_LOCK_TIMEOUT: '0' })).toBe(0);
  });

  it('refuses a value that is not a number of seconds, naming where it came from', () => {
    expect(() => lockTimeoutMs(duckdb(), { WEFT_DUCKDB_LOCK_TIMEOUT: 'soon' })).toThrow(
      "WEFT_DUCKDB_LOCK_TIMEOUT must be a number of seconds (0 or more), got 'soon'",
    );
    expect(() => lockTimeoutMs(duckdb({ lock_timeout: -1 }), {})).toThrow(
      'warehouse.lock_timeout must be a number of seconds (0 or more), got -1',
    );
  });
});
