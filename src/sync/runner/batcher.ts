/** Groups records into batches that respect a destination's max records and max bytes. */
import { type BatchLimits, type DestinationRecord, exactJson } from '../../destination-kit/index.js';

/**
 * destination-kit's `recordBytes` (the record's JSON in UTF-8, plus 2), measured without
 * allocating a byte array per record: at a million records those arrays are garbage the GC
 * has to chase (and external memory). Plain JSON.stringify first (fast); a record holding a
 * bigint (which it refuses) is measured with exact-json. An ExactNumber counts its quotes: at
 * most 2 bytes over, never under.
 */
export function recordSize(record: DestinationRecord): number {
  const shown = { key: record.key, op: record.op, fields: record.fields };
  let json: string;
  try {
    json = JSON.stringify(shown);
  } catch {
    json = exactJson(shown);
  }
  return Buffer.byteLength(json) + 2;
}

/** A record plus what the runner needs back when the destination answers. */
export interface PendingRecord {
  record: DestinationRecord;
  /** Row hash to record on acknowledgement (null for removals). */
  hash: string | null;
  /** The engine's fast hash of the row (decimal text), recorded with `hash` where there is one. */
  fast?: string;
}

/** Fills one batch at a time; `add` returns a full batch when the next record would not fit. */
export class Batcher {
  private items: PendingRecord[] = [];
  private bytes = 0;

  constructor(private readonly limits: BatchLimits) {}

  /** A record's size toward maxBytes (0 when the destination declares no byte limit): measure once per record. */
  size(record: DestinationRecord): number {
    return this.limits.maxBytes === undefined ? 0 : recordSize(record);
  }

  /** Whether a record of `size` bytes alone exceeds maxBytes (it can never be sent). */
  tooBig(size: number): boolean {
    return this.limits.maxBytes !== undefined && size > this.limits.maxBytes;
  }

  /** Adds a record of `size` bytes; returns the previous batch when this record starts a new one. */
  add(item: PendingRecord, size: number): PendingRecord[] | undefined {
    let full: PendingRecord[] | undefined;
    const overBytes = this.limits.maxBytes !== undefined && this.bytes + size > this.limits.maxBytes;
    if (this.items.length > 0 && (this.items.length >= this.limits.maxRecords || overBytes))
      full = this.flush();
    this.items.push(item);
    this.bytes += size;
    if (this.items.length >= this.limits.maxRecords && !full) full = this.flush();
    return full;
  }

  /** The partial batch, if any, emptying the batcher. */
  flush(): PendingRecord[] | undefined {
    if (this.items.length === 0) return undefined;
    const batch = this.items;
    this.items = [];
    this.bytes = 0;
    return batch;
  }
}
