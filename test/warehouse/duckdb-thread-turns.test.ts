/**
 * Threads of one process take turns on DuckDB files (src/warehouse/duckdb/thread-turns.ts): the
 * collector and its landing worker must never hold two instances of one file at once (DuckDB's
 * file lock does not stop a second open within a process, and two instances corrupt the file).
 * The worker runs the compiled module (dist/, built by `npm test`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { othersWaitForTurn, shareThreadTurns } from '../../src/warehouse/duckdb/thread-turns.js';
import { openWarehouse } from '../../src/warehouse/registry.js';

const dist = (p: string) => pathToFileURL(path.resolve('dist/src', p)).href;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A worker that opens the DuckDB file, marks `held` while open, and inserts `rows` rows, `rounds` times. */
const WORKER = `(async () => {
  const { workerData, parentPort } = require('node:worker_threads');
  const { joinThreadTurns } = await import(workerData.turnsModule);
  const { openWarehouse } = await import(workerData.registryModule);
  joinThreadTurns(workerData.turns);
  const held = new Int32Array(workerData.held);
  for (let round = 0; round < workerData.rounds; round++) {
    const warehouse = await openWarehouse({ type: 'duckdb', path: workerData.file }, { projectDir: workerData.dir });
    if (Atomics.add(held, 0, 1) !== 0) Atomics.store(held, 1, 1);
    await warehouse.execute('INSERT INTO t SELECT range FROM range(' + workerData.rows + ')');
    await new Promise((r) => setTimeout(r, 5));
    Atomics.sub(held, 0, 1);
    await warehouse.close();
  }
  parentPort.postMessage('done');
})().catch((error) => { throw error; });
`;

describe('DuckDB files across threads', () => {
  it('never open one file in two threads at once, and both threads write to it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weft-turns-'));
    dirs.push(dir);
    const config = { type: 'duckdb' as const, path: 'turns.duckdb' };
    const setup = await openWarehouse(config, { projectDir: dir });
    await setup.execute('CREATE TABLE t (n BIGINT)');
    await setup.close();

    const turns = shareThreadTurns();
    // [holders now, overlap seen]
    const held = new SharedArrayBuffer(8);
    const counts = new Int32Array(held);
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        turns,
        held,
        dir,
        file: 'turns.duckdb',
        rows: 100,
        rounds: 20,
        turnsModule: dist('warehouse/duckdb/thread-turns.js'),
        registryModule: dist('warehouse/registry.js'),
      },
    });
    const done = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    for (let round = 0; round < 20; round++) {
      const warehouse = await openWarehouse(config, { projectDir: dir });
      if (Atomics.add(counts, 0, 1) !== 0) Atomics.store(counts, 1, 1);
      await warehouse.execute('INSERT INTO t SELECT range FROM range(10)');
      await new Promise((r) => setTimeout(r, 5));
      Atomics.sub(counts, 0, 1);
      await warehouse.close();
    }
    await done;
    await worker.terminate();

    expect(Atomics.load(counts, 1)).toBe(0);
    const check = await openWarehouse(config, { projectDir: dir });
    const [row] = await check.query<{ n: bigint | number }>('SELECT count(*) AS n FROM t');
    await check.close();
    expect(Number(row?.n)).toBe(20 * 100 + 20 * 10);
  });

  it('tells the thread holding the turn that another thread waits for it (the console then lets go)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weft-turns-'));
    dirs.push(dir);
    const config = { type: 'duckdb' as const, path: 'wait.duckdb' };
    const turns = shareThreadTurns();
    const holding = await openWarehouse(config, { projectDir: dir });
    await holding.execute('CREATE TABLE t (n BIGINT)');
    expect(othersWaitForTurn()).toBe(false);
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        turns,
        held: new SharedArrayBuffer(8),
        dir,
        file: 'wait.duckdb',
        rows: 1,
        rounds: 1,
        turnsModule: dist('warehouse/duckdb/thread-turns.js'),
        registryModule: dist('warehouse/registry.js'),
      },
    });
    const done = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    while (!othersWaitForTurn()) await new Promise((r) => setTimeout(r, 10));
    await holding.close();
    await done;
    await worker.terminate();
    expect(othersWaitForTurn()).toBe(false);
  });
});
