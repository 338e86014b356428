/**
 * The trigger journal (weft serve's local record of firings): what a round reads back (dedupe,
 * caps, pending) survives closing and reopening the file; entries are taken merged per firing and
 * land in trigger_runs idempotently (a landing repeated after a crash changes nothing); old ids and
 * caps are forgotten; and the engine on a journal fires each event once across a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../../destinations/webhook/emulator.js';
import type { Project } from '../../../src/config/types.js';
import { startTriggers } from '../../../src/realtime/triggers/index.js';
import { openTriggerJournal } from '../../../src/realtime/triggers/journal.js';
import {
  landTriggerRuns,
  type TriggerRunRow,
  TriggerRuns,
} from '../../../src/realtime/triggers/runs-table.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/index.js';
import { openWarehouse } from '../../../src/warehouse/registry.js';
import type { Warehouse } from '../../../src/warehouse/types.js';
import { load, meterFault, PROFILES, projectFiles, writeProject } from './fixture.js';
import { MemoryProfileReader } from './memory-reader.js';

const T0 = new Date('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-trigger-journal-'));
  dirs.push(dir);
  return dir;
};

function row(id: string, overrides: Partial<TriggerRunRow> = {}): TriggerRunRow {
  return {
    firing_id: id,
    trigger_name: 'vip',
    message_id: `m-${id}`,
    event_type: 'track',
    event_name: 'Demo Requested',
    source: 'web',
    person_key: 'profile:p1',
    profile_id: 'p1',
    connection: 'support',
    status: 'pending',
    reason: null,
    event_at: at(0),
    fired_at: at(0),
    next_attempt_at: null,
    delivered_at: null,
    attempts: 0,
    payload: '{"key":"k","fields":{"text":"hi"}}',
    updated_at: at(0),
    ...overrides,
  };
}

/** The outcome of firing `id` delivered at its first attempt, a minute after T0. */
const deliveredOnce = (id: string) => ({
  firing_id: id,
  status: 'delivered' as const,
  reason: null,
  attempts: 1,
  delivered_at: at(1),
  updated_at: at(1),
});

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the trigger journal', () => {
  it('reads back recorded firings, caps and pending rows after a reopen', async () => {
    const dir = tempDir();
    let journal = openTriggerJournal(dir);
    expect(journal.seeded).toBe(false);
    await journal.seed({ firings: [], caps: [], pending: [] });
    await journal.insert([
      row('a'),
      row('b', { fired_at: at(5), person_key: 'profile:p2' }),
      row('c', { status: 'capped', fired_at: at(6), person_key: 'profile:p3' }),
    ]);
    await journal.update([deliveredOnce('a')]);
    await journal.close();

    journal = openTriggerJournal(dir);
    expect(journal.seeded).toBe(true);
    expect(await journal.existing(['a', 'b', 'c', 'zz'], at(-1))).toEqual(new Set(['a', 'b', 'c']));
    // Outside the dedupe window: not found.
    expect(await journal.existing(['a', 'b'], at(2))).toEqual(new Set(['b']));
    const caps = await journal.lastFirings(
      [
        ['vip', 'profile:p1'],
        ['vip', 'profile:p2'],
        ['vip', 'profile:p3'],
      ],
      at(-1),
    );
    // A capped firing does not count for once_per.
    expect(caps).toEqual(
      new Map([
        ['vip\u0000profile:p1', at(0)],
        ['vip\u0000profile:p2', at(5)],
      ]),
    );
    // 'a' was delivered; 'b' is still to send, with its rendered payload.
    expect(journal.pending()).toEqual([row('b', { fired_at: at(5), person_key: 'profile:p2' })]);
    await journal.close();
  });

  it('lands in trigger_runs merged per firing, idempotently, and forgets what landed', async () => {
    const journal = openTriggerJournal(tempDir());
    const warehouse: Warehouse = await openWarehouse(
      { type: 'duckdb', path: ':memory:' },
      { projectDir: '.' },
    );
    try {
      const runs = new TriggerRuns(warehouse, 'weft_state');
      await runs.ensure();
      await journal.insert([row('a'), row('b')]);
      await journal.update([
        {
          firing_id: 'a',
          status: 'failed',
          reason: 'HTTP 400',
          attempts: 1,
          delivered_at: null,
          updated_at: at(1),
        },
      ]);
      const first = journal.take(100);
      expect(first).toMatchObject({ count: 3, updates: [] });
      expect(first?.rows.map((r) => [r.firing_id, r.status, r.reason, r.attempts])).toEqual([
        ['a', 'failed', 'HTTP 400', 1],
        ['b', 'pending', null, 0],
      ]);
      if (!first) throw new Error('nothing taken');
      await landTriggerRuns(warehouse, 'weft_state', first.rows, first.updates);
      // A crash before `landed`: the same entries land again.
      await landTriggerRuns(warehouse, 'weft_state', first.rows, first.updates);
      await journal.landed(first.lastSeq);
      expect(journal.take(100)).toBeUndefined();

      await journal.update([
        {
          firing_id: 'b',
          status: 'delivered',
          reason: null,
          attempts: 2,
          delivered_at: at(2),
          updated_at: at(2),
        },
      ]);
      const second = journal.take(100);
      expect(second).toMatchObject({ count: 1, rows: [] });
      if (!second) throw new Error('nothing taken');
      await landTriggerRuns(warehouse, 'weft_state', second.rows, second.updates);
      await landTriggerRuns(warehouse, 'weft_state', second.rows, second.updates);
      await journal.landed(second.lastSeq);
      expect(journal.unlanded).toBe(0);

      const landed = await warehouse.query(
        'SELECT firing_id, status, reason, attempts FROM weft_state.trigger_runs ORDER BY firing_id',
      );
      expect(landed.map((r) => ({ ...r, attempts: Number(r.attempts) }))).toEqual([
        { firing_id: 'a', status: 'failed', reason: 'HTTP 400', attempts: 1 },
        { firing_id: 'b', status: 'delivered', reason: null, attempts: 2 },
      ]);
    } finally {
      await warehouse.close();
      await journal.close();
    }
  });

  it('reset keeps the entries not landed aside, one line per firing with its outcome, and starts unseeded', async () => {
    const dir = tempDir();
    const journal = openTriggerJournal(dir);
    try {
      await journal.seed({ firings: [], caps: [], pending: [] }, 'wh-old');
      await journal.insert([row('a'), row('b')]);
      await journal.update([deliveredOnce('a')]);
      const aside = path.join(dir, 'unlanded-wh-old.ndjson');
      expect(await journal.reset(aside)).toBe(2);
      const kept = fs
        .readFileSync(aside, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { warehouse: string; row: TriggerRunRow });
      expect(kept.map((k) => [k.warehouse, k.row.firing_id, k.row.status])).toEqual([
        ['wh-old', 'a', 'delivered'],
        ['wh-old', 'b', 'pending'],
      ]);
      expect(journal.unlanded).toBe(0);
      expect(journal.seeded).toBe(false);
      expect(journal.warehouse).toBeUndefined();
      expect(await journal.existing(['a', 'b'], at(-60))).toEqual(new Set());
      // Nothing left: a second reset writes nothing more.
      expect(await journal.reset(aside)).toBe(0);
      expect(fs.readFileSync(aside, 'utf8').trim().split('\n')).toHaveLength(2);
    } finally {
      await journal.close();
    }
  });

  it('forgets firing ids past the dedupe window and caps past the longest once_per', async () => {
    const journal = openTriggerJournal(tempDir());
    await journal.insert([
      row('old', { fired_at: at(0), person_key: 'profile:old' }),
      row('new', { fired_at: at(60), person_key: 'profile:new' }),
    ]);
    expect(await journal.prune(at(30), at(30))).toBe(2);
    expect(await journal.existing(['old', 'new'], at(-1))).toEqual(new Set(['new']));
    const caps = await journal.lastFirings(
      [
        ['vip', 'profile:old'],
        ['vip', 'profile:new'],
      ],
      at(-1),
    );
    expect([...caps.keys()]).toEqual(['vip\u0000profile:new']);
    await journal.close();
  });
});

describe('the engine on a journal', () => {
  let webhook: RunningEmulator<WebhookEmulatorState>;
  let project: Project;
  let warehouse: Warehouse;
  const reader = new MemoryProfileReader(PROFILES);

  beforeAll(async () => {
    webhook = await startEmulator<unknown, WebhookEmulatorState>(webhookEmulator);
    const dir = writeProject(
      projectFiles({ slack: 'http://127.0.0.1:9/unused', webhook: webhook.settings.url as string }),
    );
    dirs.push(dir);
    project = await load(dir);
    warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: dir });
  });
  afterAll(async () => {
    await warehouse?.close();
    await webhook?.close();
  });

  it('records a round in the journal only, and fires each event once across a restart', async () => {
    const dir = tempDir();
    const start = async () => {
      const journal = openTriggerJournal(dir);
      if (!journal.seeded) await journal.seed({ firings: [], caps: [], pending: [] });
      const engine = await startTriggers(project, reader, {
        warehouse,
        journal,
        now: () => T0,
        retry: { maxAttempts: 2, baseMs: 5, maxMs: 10 },
        flushMs: 10,
      });
      return { journal, engine };
    };
    const first = await start();
    const event = meterFault('e-meter', 'M-77', 'major');
    await first.engine.offer([event]);
    // Recorded in the journal, not in the warehouse (the caller lands it).
    expect(await warehouse.query('SELECT * FROM weft_state.trigger_runs')).toEqual([]);
    expect(first.journal.unlanded).toBe(1);
    await first.engine.idle();
    await first.engine.close();
    await first.journal.close();
    expect(Object.keys(webhook.snapshot().state.records['trigger:meter_fault'] ?? {})).toHaveLength(1);
    const received = webhook.snapshot().state.rowsReceived;

    const second = await start();
    // A replay of the event after a restart fires nothing.
    await second.engine.offer([event]);
    await second.engine.idle();
    expect(second.engine.stats()).toMatchObject({ matched: 1, recorded: 0 });
    await second.engine.close();
    const batch = second.journal.take(100);
    await second.journal.close();
    expect(webhook.snapshot().state.rowsReceived).toBe(received);
    expect(batch?.rows.map((r) => [r.message_id, r.status, r.attempts])).toEqual([
      ['e-meter', 'delivered', 1],
    ]);
  });

  it('sends the firings of one round in one request; a failed batch is retried record by record', async () => {
    const journal = openTriggerJournal(tempDir());
    await journal.seed({ firings: [], caps: [], pending: [] });
    const engine = await startTriggers(project, reader, {
      warehouse,
      journal,
      now: () => T0,
      retry: { maxAttempts: 3, baseMs: 5, maxMs: 10 },
      flushMs: 10,
    });
    const requests = () => webhook.snapshot().stats.requests;
    const before = requests();
    await engine.offer(['b1', 'b2', 'b3'].map((id) => meterFault(id, 'M-77', 'major')));
    await engine.idle();
    expect(requests() - before).toBe(1);

    webhook.injectFaults({ fail: [{ kind: 'status', status: 503, count: 1 }] });
    const failedBefore = requests();
    await engine.offer(['r1', 'r2', 'r3'].map((id) => meterFault(id, 'M-77', 'major')));
    await engine.idle();
    // One batch answered 503, then each record alone.
    expect(requests() - failedBefore).toBe(4);
    await engine.close();
    const landed = journal.take(100);
    await journal.close();
    const attempts = Object.fromEntries(
      (landed?.rows ?? []).map((r) => [r.message_id, `${r.status} ${r.attempts}`]),
    );
    expect(attempts).toEqual({
      b1: 'delivered 1',
      b2: 'delivered 1',
      b3: 'delivered 1',
      r1: 'delivered 2',
      r2: 'delivered 2',
      r3: 'delivered 2',
    });
    const held = webhook.snapshot().state.records['trigger:meter_fault'] ?? {};
    const ids = Object.values(held).map((row) => (row.event as { messageId: string }).messageId);
    expect(ids).toEqual(expect.arrayContaining(['b1', 'b2', 'b3', 'r1', 'r2', 'r3']));
  });
});
