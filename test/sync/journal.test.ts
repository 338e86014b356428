import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalWriter, listJournals, readJournal } from '../../src/sync/journal/journal-file.js';
import { mergeJournal } from '../../src/sync/journal/merge.js';
import { recoverInterruptedRuns } from '../../src/sync/recover.js';
import { startRunSql } from '../../src/sync/state/runs.js';
import { ensureSnapshot, ensureStateTables } from '../../src/sync/state/tables.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, resolved, syncConfig } from './helpers.js';

describe('journal', () => {
  let dir: string;
  let warehouse: Warehouse;
  const sync = resolved(syncConfig());
  const snapshot = () =>
    warehouse.query('SELECT key, hash, destination_id FROM weft_state.snapshot_people_sync ORDER BY key');

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-journal-'));
    warehouse = await memoryWarehouse();
    await ensureStateTables(warehouse, 'weft_state');
    await ensureSnapshot(warehouse, sync.snapshot);
  });
  afterEach(async () => {
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is created lazily, appends in order, and skips a torn last line', async () => {
    const file = path.join(dir, 'j', 'run.jsonl');
    const writer = new JournalWriter(file);
    await writer.append([]);
    expect(fs.existsSync(file)).toBe(false);
    await Promise.all([
      writer.append([{ t: 'ack', k: 'a', h: 'h1', op: 'set' }]),
      writer.append([{ t: 'rej', k: 'b', r: 'bad' }]),
    ]);
    await writer.close();
    fs.appendFileSync(file, '{"t":"ack","k":"c","h":"h'); // kill -9 mid-write
    const entries = [];
    for await (const entry of readJournal(file)) entries.push(entry);
    expect(entries).toEqual([
      { t: 'ack', k: 'a', h: 'h1', op: 'set' },
      { t: 'rej', k: 'b', r: 'bad' },
    ]);
    expect(writer.written).toBe(2);
  });

  it('merges acknowledged rows into the snapshot and rejections into sync_rejections, idempotently', async () => {
    await warehouse.execute(
      "INSERT INTO weft_state.snapshot_people_sync (key, hash, destination_id) VALUES ('gone', 'h0', NULL), ('kept', 'old', 'id-7')",
    );
    await warehouse.execute(
      "INSERT INTO weft_state.sync_rejections (sync, key, reason, attempts) VALUES ('people_sync', 'kept', 'was bad', 1), ('people_sync', 'r', 'earlier', 2)",
    );
    const file = path.join(dir, 'run-1.jsonl');
    const lines = [
      { t: 'ack', k: 'new', h: 'h1', op: 'set', id: 'id-1' },
      { t: 'ack', k: 'kept', h: 'h2', op: 'set' },
      { t: 'ack', k: 'gone', h: null, op: 'drop' },
      { t: 'rej', k: 'r', r: 'still bad' },
    ];
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const copy = `${file}.copy`;
    fs.copyFileSync(file, copy);
    expect(await mergeJournal(warehouse, sync, 'run-1', file)).toEqual({ acknowledged: 3, rejected: 1 });
    expect(fs.existsSync(file)).toBe(false);
    const expected = [
      { key: 'kept', hash: 'h2', destination_id: 'id-7' },
      { key: 'new', hash: 'h1', destination_id: 'id-1' },
    ];
    expect(await snapshot()).toEqual(expected);
    const rejections = () =>
      warehouse.query('SELECT key, reason, attempts FROM weft_state.sync_rejections ORDER BY key');
    expect(await rejections()).toEqual([{ key: 'r', reason: 'still bad', attempts: 3 }]);
    // A crash after the commit but before the file was deleted: merging again changes nothing
    // (this run's rejection does not count a second attempt).
    await mergeJournal(warehouse, sync, 'run-1', copy);
    expect(await snapshot()).toEqual(expected);
    expect(await rejections()).toEqual([{ key: 'r', reason: 'still bad', attempts: 3 }]);
  });

  it('merges in committed chunks, the final statements last, and re-merging after a crash between chunks is harmless', async () => {
    const file = path.join(dir, 'run-2.jsonl');
    const lines = [
      ...Array.from({ length: 5 }, (_, i) => ({ t: 'ack', k: `k${i}`, h: `h${i}`, op: 'set' })),
      { t: 'rej', k: 'bad', r: 'no email' },
      { t: 'ack', k: 'k5', h: 'h5', op: 'set' },
    ];
    fs.writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const copy = `${file}.copy`;
    fs.copyFileSync(file, copy);
    // The final statement sees every chunk already merged.
    const finalRow =
      "INSERT INTO weft_state.sync_runs (run_id, sync, status, succeeded) SELECT 'run-2', 'people_sync', 'success', count(*) FROM weft_state.snapshot_people_sync";
    const load = warehouse.load.bind(warehouse);
    const loaded: number[] = [];
    warehouse.load = async (...args: Parameters<Warehouse['load']>) => {
      const n = await load(...args);
      loaded.push(n);
      return n;
    };
    const counts = await mergeJournal(warehouse, sync, 'run-2', file, () => [finalRow], { chunkEntries: 2 });
    expect(counts).toEqual({ acknowledged: 6, rejected: 1 });
    expect(loaded).toEqual([2, 2, 2, 1]); // one load (and merge) per chunk
    expect(await warehouse.query('SELECT succeeded FROM weft_state.sync_runs')).toEqual([{ succeeded: 6 }]);
    const expected = Array.from({ length: 6 }, (_, i) => ({
      key: `k${i}`,
      hash: `h${i}`,
      destination_id: null,
    }));
    expect(await snapshot()).toEqual(expected);
    const rejections = () => warehouse.query('SELECT key, attempts FROM weft_state.sync_rejections');
    expect(await rejections()).toEqual([{ key: 'bad', attempts: 1 }]);
    const tables = await warehouse.query(
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'journal_%'",
    );
    expect(tables).toEqual([]);
    // A kill between chunk commits leaves the file: the next run merges it all again.
    await mergeJournal(warehouse, sync, 'run-2', copy, () => [], { chunkEntries: 3 });
    expect(await snapshot()).toEqual(expected);
    expect(await rejections()).toEqual([{ key: 'bad', attempts: 1 }]);
  });

  it('recovers a crashed run: its journal is merged and its run row marked failed', async () => {
    await warehouse.execute(
      startRunSql(warehouse.dialect, 'weft_state', 'people_sync', 'crashed', new Date()),
    );
    await warehouse.execute(
      startRunSql(warehouse.dialect, 'weft_state', 'people_sync', 'no-journal', new Date()),
    );
    const journalDirectory = path.join(dir, '.weft/journal/people_sync');
    fs.mkdirSync(journalDirectory, { recursive: true });
    fs.writeFileSync(
      path.join(journalDirectory, 'crashed.jsonl'),
      `${JSON.stringify({ t: 'ack', k: 'a', h: 'h', op: 'set' })}\n`,
    );
    expect(listJournals(dir, 'people_sync').map((j) => j.runId)).toEqual(['crashed']);
    expect(await recoverInterruptedRuns(warehouse, dir, sync, 'current')).toBe(1);
    expect(await snapshot()).toEqual([{ key: 'a', hash: 'h', destination_id: null }]);
    const runs = await warehouse.query(
      'SELECT run_id, status, succeeded FROM weft_state.sync_runs ORDER BY run_id',
    );
    expect(runs).toEqual([
      { run_id: 'crashed', status: 'failed', succeeded: 1 },
      { run_id: 'no-journal', status: 'failed', succeeded: null },
    ]);
    expect(listJournals(dir, 'people_sync')).toEqual([]);
  });
});
