/**
 * The trigger journal of `weft serve`: the local, durable record of the engine's decisions, so a
 * round of offers never opens the warehouse. One LMDB file (memory-mapped, so Node's heap holds
 * none of it) under `.weft/triggers/` in the project, beside the embedded event log:
 *
 *   ['f', firingId]               → fired_at (ms)   every firing recorded within the dedupe window
 *   ['t', fired_at, firingId]     → 1               the same, in time order (to forget old ones)
 *   ['c', trigger, personKey]     → fired_at (ms)   the person's last counted firing (once_per)
 *   ['p', firingId]               → row             firings not delivered yet (resumed at start)
 *   ['j', seq]                    → entry           rows and outcomes not landed in trigger_runs yet
 *   ['m', 'seq' | 'seeded' | 'warehouse']           the next journal number; seeded from the warehouse;
 *                                                   that warehouse's instance id (warehouse-instance.ts)
 *
 * A round's decisions are one LMDB transaction, awaited until flushed to disk: once `insert`
 * resolves, a kill -9 (or a power cut) loses none of them, and the next process finds them (dedupe,
 * caps, pending). The journal lands in `<state_schema>.trigger_runs` in the background (`take`,
 * then `landed` once the warehouse committed), in order; a landing repeated after a crash
 * replaces the same rows with the same values (see TriggerRuns.replace), so it is idempotent.
 *
 * A journal that was never seeded (a first start, or `.weft/` deleted) copies the warehouse's
 * state first: the firing ids of the dedupe window, the last counted firing per person and
 * trigger, and the pending rows (`seed`). Only the journal's not-yet-landed entries (a second or
 * two of decisions) are lost with a deleted `.weft/`, as are unlanded events with the event log.
 * A journal filled from another warehouse than the project's now (`warehouse` differs) is
 * `reset` and seeded again: its dedupe state and caps are that warehouse's, and its entries not
 * landed would land in the wrong one (they are kept aside in a file instead).
 */
import { mkdirSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import type { Project } from '../../config/types.js';
import { COUNTED_STATUSES, type RunUpdate, type TriggerRunRow } from './runs-table.js';

/** What the engine reads and writes in a round (TriggerRuns does the same on the warehouse). */
export interface FiringRecords {
  existing(firingIds: string[], since: Date): Promise<Set<string>>;
  lastFirings(pairs: Array<[string, string]>, since: Date): Promise<Map<string, Date>>;
  insert(rows: TriggerRunRow[]): Promise<void>;
  update(updates: RunUpdate[]): Promise<void>;
}

/** Journal entries taken for landing, merged per firing (in journal order). */
export interface JournalBatch {
  /** Whole rows (a firing recorded in this batch, with its later outcomes applied). */
  rows: TriggerRunRow[];
  /** Outcomes of firings recorded in an earlier batch. */
  updates: RunUpdate[];
  /** Entries taken (for `landed`). */
  count: number;
  /** The last entry's number. */
  lastSeq: number;
}

/** The warehouse state a fresh journal starts from. */
export interface JournalSeed {
  firings: Array<{ firing_id: string; fired_at: Date }>;
  caps: Array<{ trigger_name: string; person_key: string; last_at: Date }>;
  pending: TriggerRunRow[];
}

type Key = (string | number)[];
type StoredRow = Omit<
  TriggerRunRow,
  'event_at' | 'fired_at' | 'next_attempt_at' | 'delivered_at' | 'updated_at'
> & {
  event_at: number;
  fired_at: number;
  next_attempt_at: number | null;
  delivered_at: number | null;
  updated_at: number;
};
type StoredUpdate = Omit<RunUpdate, 'delivered_at' | 'updated_at'> & {
  delivered_at: number | null;
  updated_at: number;
};
type Entry = { i: StoredRow } | { u: StoredUpdate };

const COUNTED = new Set<string>(COUNTED_STATUSES);

/** The journal's folder for a project. */
export function journalDir(project: Project): string {
  return path.resolve(project.dir, '.weft', 'triggers');
}

/** Opens (creating) the journal in `dir`. */
export function openTriggerJournal(dir: string): TriggerJournal {
  mkdirSync(dir, { recursive: true });
  const db = open({ path: path.join(dir, 'journal.mdb'), compression: false, mapSize: 2 ** 34 });
  return new TriggerJournal(db);
}

/** The journal (see the module comment). */
export class TriggerJournal implements FiringRecords {
  constructor(private readonly db: RootDatabase) {}

  /** Whether the journal holds the warehouse's state (or started with an empty warehouse). */
  get seeded(): boolean {
    return this.db.get(['m', 'seeded']) !== undefined;
  }

  /** The instance id of the warehouse the journal was seeded from (undefined: before ids were kept). */
  get warehouse(): string | undefined {
    const id = this.db.get(['m', 'warehouse']);
    return id === undefined ? undefined : String(id);
  }

  /** Records the warehouse instance id of a journal seeded before ids were kept. */
  async adopt(warehouse: string): Promise<void> {
    await this.write(() => this.db.put(['m', 'warehouse'], warehouse));
  }

  /**
   * Empties the journal (one transaction): it is unseeded again. The entries not landed it held
   * (meant for the warehouse it was filled from) are first written to `asideFile`, one JSON line
   * per firing with its latest outcome, so none is lost; answers how many firings went there.
   */
  async reset(asideFile: string): Promise<number> {
    const batch = this.take(Number.MAX_SAFE_INTEGER);
    if (batch) {
      const lines = [
        ...batch.rows.map((row) => JSON.stringify({ warehouse: this.warehouse, row })),
        ...batch.updates.map((update) => JSON.stringify({ warehouse: this.warehouse, update })),
      ];
      await appendFile(asideFile, `${lines.join('\n')}\n`, { flush: true });
    }
    await this.write(() => {
      for (const key of [...this.db.getKeys()]) this.db.remove(key as Key);
    });
    return batch ? batch.rows.length + batch.updates.length : 0;
  }

  /**
   * Copies the state of the warehouse with instance id `warehouse` into a fresh journal, in one
   * transaction with the seeded mark.
   */
  async seed(state: JournalSeed, warehouse?: string): Promise<void> {
    await this.write(() => {
      if (warehouse !== undefined) this.db.put(['m', 'warehouse'], warehouse);
      for (const { firing_id, fired_at } of state.firings) this.remember(firing_id, fired_at.getTime());
      for (const { trigger_name, person_key, last_at } of state.caps)
        this.raiseCap(trigger_name, person_key, last_at.getTime());
      for (const row of state.pending) this.db.put(['p', row.firing_id], storeRow(row));
      this.db.put(['m', 'seeded'], true);
    });
  }

  async existing(firingIds: string[], since: Date): Promise<Set<string>> {
    const found = new Set<string>();
    const from = since.getTime();
    for (const id of firingIds) {
      const at = this.db.get(['f', id]) as number | undefined;
      if (at !== undefined && at >= from) found.add(id);
    }
    return found;
  }

  async lastFirings(pairs: Array<[string, string]>, since: Date): Promise<Map<string, Date>> {
    const last = new Map<string, Date>();
    const from = since.getTime();
    for (const [trigger, person] of pairs) {
      const at = this.db.get(['c', trigger, person]) as number | undefined;
      if (at !== undefined && at >= from) last.set(`${trigger}\u0000${person}`, new Date(at));
    }
    return last;
  }

  /** Records `rows` (one transaction); resolves once they are on disk. */
  async insert(rows: TriggerRunRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.write(() => {
      let seq = this.nextSeq();
      for (const row of rows) {
        const at = row.fired_at.getTime();
        this.remember(row.firing_id, at);
        if (COUNTED.has(row.status)) this.raiseCap(row.trigger_name, row.person_key, at);
        const stored = storeRow(row);
        if (row.status === 'pending') this.db.put(['p', row.firing_id], stored);
        this.db.put(['j', seq++], { i: stored } satisfies Entry);
      }
      this.db.put(['m', 'seq'], seq);
    });
  }

  /** Records delivery outcomes (the firings are no longer pending); resolves once on disk. */
  async update(updates: RunUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await this.write(() => {
      let seq = this.nextSeq();
      for (const update of updates) {
        if (update.status !== 'pending') this.db.remove(['p', update.firing_id]);
        this.db.put(['j', seq++], { u: storeUpdate(update) } satisfies Entry);
      }
      this.db.put(['m', 'seq'], seq);
    });
  }

  /** Every pending firing, in firing order (to resume after a restart). */
  pending(): TriggerRunRow[] {
    const rows: TriggerRunRow[] = [];
    for (const { value } of this.db.getRange({ start: ['p'], end: ['p', '\uffff'] }))
      rows.push(loadRow(value as StoredRow));
    return rows.sort(
      (a, b) => a.fired_at.getTime() - b.fired_at.getTime() || (a.firing_id < b.firing_id ? -1 : 1),
    );
  }

  /** Entries not landed yet. */
  get unlanded(): number {
    return this.db.getKeysCount({ start: ['j'], end: ['j', Number.MAX_SAFE_INTEGER] });
  }

  /** The oldest `limit` entries not landed yet, merged per firing; undefined when none. */
  take(limit: number): JournalBatch | undefined {
    const rows = new Map<string, TriggerRunRow>();
    const updates = new Map<string, RunUpdate>();
    let count = 0;
    let lastSeq = -1;
    for (const { key, value } of this.db.getRange({
      start: ['j'],
      end: ['j', Number.MAX_SAFE_INTEGER],
      limit,
    })) {
      count++;
      lastSeq = (key as Key)[1] as number;
      const entry = value as Entry;
      if ('i' in entry) {
        const row = loadRow(entry.i);
        rows.set(row.firing_id, row);
        updates.delete(row.firing_id);
        continue;
      }
      const update = loadUpdate(entry.u);
      const row = rows.get(update.firing_id);
      if (row) rows.set(update.firing_id, applyUpdate(row, update));
      else updates.set(update.firing_id, update);
    }
    if (count === 0) return undefined;
    return { rows: [...rows.values()], updates: [...updates.values()], count, lastSeq };
  }

  /** Forgets the entries up to `lastSeq` once the warehouse committed them. */
  async landed(lastSeq: number): Promise<void> {
    await this.write(() => {
      const keys = [...this.db.getKeys({ start: ['j'], end: ['j', lastSeq + 1] })];
      for (const key of keys) this.db.remove(key as Key);
    });
  }

  /**
   * Forgets firing ids older than `firingsSince` (the dedupe window) and caps older than
   * `capsSince` (the longest once_per; every cap is read: one per person and capped trigger): at
   * most `limit` firing ids per call. Answers how many entries went.
   */
  async prune(firingsSince: Date, capsSince: Date, limit = 50_000): Promise<number> {
    return this.write(() => {
      let removed = 0;
      const before = firingsSince.getTime();
      const old = [...this.db.getKeys({ start: ['t'], end: ['t', before], limit })];
      for (const key of old) {
        const [, at, id] = key as [string, number, string];
        if (this.db.get(['f', id]) === at) this.db.remove(['f', id]);
        this.db.remove(key as Key);
        removed++;
      }
      const capsBefore = capsSince.getTime();
      const caps = [...this.db.getRange({ start: ['c'], end: ['c', '\uffff'] })];
      for (const { key, value } of caps)
        if ((value as number) < capsBefore) {
          this.db.remove(key as Key);
          removed++;
        }
      return removed;
    });
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.db.close();
  }

  /** One write transaction, resolved once committed and flushed to disk. */
  private async write<T>(body: () => T): Promise<T> {
    const result = await this.db.transaction(body);
    await this.db.flushed;
    return result;
  }

  private nextSeq(): number {
    return (this.db.get(['m', 'seq']) as number | undefined) ?? 0;
  }

  private remember(firingId: string, at: number): void {
    const known = this.db.get(['f', firingId]) as number | undefined;
    if (known !== undefined && known >= at) return;
    if (known !== undefined) this.db.remove(['t', known, firingId]);
    this.db.put(['f', firingId], at);
    this.db.put(['t', at, firingId], 1);
  }

  private raiseCap(trigger: string, person: string, at: number): void {
    const known = this.db.get(['c', trigger, person]) as number | undefined;
    if (known === undefined || known < at) this.db.put(['c', trigger, person], at);
  }
}

/** A row with an outcome applied (as TriggerRuns.update does in SQL). */
function applyUpdate(row: TriggerRunRow, update: RunUpdate): TriggerRunRow {
  return {
    ...row,
    status: update.status,
    reason: update.reason,
    attempts: update.attempts,
    delivered_at: update.delivered_at,
    updated_at: update.updated_at,
    next_attempt_at: null,
  };
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());
const date = (n: number | null) => (n === null ? null : new Date(n));

function storeRow(row: TriggerRunRow): StoredRow {
  return {
    ...row,
    event_at: row.event_at.getTime(),
    fired_at: row.fired_at.getTime(),
    next_attempt_at: ms(row.next_attempt_at),
    delivered_at: ms(row.delivered_at),
    updated_at: row.updated_at.getTime(),
  };
}

function loadRow(row: StoredRow): TriggerRunRow {
  return {
    ...row,
    event_at: new Date(row.event_at),
    fired_at: new Date(row.fired_at),
    next_attempt_at: date(row.next_attempt_at),
    delivered_at: date(row.delivered_at),
    updated_at: new Date(row.updated_at),
  };
}

function storeUpdate(update: RunUpdate): StoredUpdate {
  return { ...update, delivered_at: ms(update.delivered_at), updated_at: update.updated_at.getTime() };
}

function loadUpdate(update: StoredUpdate): RunUpdate {
  return { ...update, delivered_at: date(update.delivered_at), updated_at: new Date(update.updated_at) };
}
