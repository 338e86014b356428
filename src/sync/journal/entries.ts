/** What a run's journal holds: one line per acknowledged or rejected record. */

/** The destination acknowledged the record: the snapshot may advance to `hash` (or drop the key). */
export interface AckEntry {
  t: 'ack';
  /** Sync key. */
  k: string;
  /** Row hash that was sent; null for a removal. */
  h: string | null;
  /** The engine's fast hash of the row sent (decimal text), where the planner computed one. */
  f?: string;
  /** `set`: the snapshot holds the key with `h`; `drop`: the key left the destination. */
  op: 'set' | 'drop';
  /** Destination record id, when the destination returned one. */
  id?: string;
}

/** The destination (or the mapping) rejected the record: it goes to `sync_rejections`. */
export interface RejectEntry {
  t: 'rej';
  k: string;
  /** Reason, as reported. */
  r: string;
}

/** One journal line. */
export type JournalEntry = AckEntry | RejectEntry;

/** Parses one journal line; undefined for a torn or foreign line (a crash mid-write). */
export function parseEntry(line: string): JournalEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as Partial<JournalEntry>;
    if (typeof value.k !== 'string') return undefined;
    if (value.t === 'ack' && (value.op === 'set' || value.op === 'drop')) return value as AckEntry;
    if (value.t === 'rej' && typeof value.r === 'string') return value as RejectEntry;
  } catch {
    // torn last line: ignored
  }
  return undefined;
}
