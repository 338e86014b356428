/**
 * The embedded event log: append-only segment files under `events.log_dir`. Appends are
 * group-committed: while one write + fdatasync runs, later appends queue, and the next write
 * carries all of them, so many concurrent requests share one fsync. An append resolves only
 * after its fsync. The lander reads batches in order and acks them; the checkpoint (the landed
 * position) advances over contiguous acked batches and segments wholly before it are deleted.
 * On open, a torn last record (a crash mid-write) is truncated and reading restarts at the
 * checkpoint, so unlanded events are delivered again (the lander dedupes on messageId).
 */
import { type FileHandle, open, truncate } from 'node:fs/promises';
import type { CollectedEvent, EventLog, LogBatch, LogStats } from '../types.js';
import { emptyLogBatch, logBatch } from './batch.js';
import { LogBehindError, LogUnavailableError } from './errors.js';
import { encodeRecord } from './record.js';
import {
  type LogPosition,
  listSegments,
  readCheckpoint,
  readRecords,
  removeSegment,
  segmentPath,
  syncDirectory,
  writeCheckpoint,
} from './segment-files.js';

/** Bounds and sizes of the embedded log. */
export interface EmbeddedLogOptions {
  /** A new segment starts once the current one reaches this size (default 16 MiB). */
  segmentBytes?: number;
  /** Appends are refused (LogBehindError) past this many unlanded events (default 200,000). */
  maxPendingEvents?: number;
  /** … or past this many unlanded bytes (default 256 MiB). */
  maxPendingBytes?: number;
  /** Called after each group commit (write + fdatasync) with its events and duration (metrics). */
  onCommit?: (events: number, ms: number) => void;
}

interface QueuedAppend {
  data: Buffer;
  count: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface OutstandingBatch {
  end: LogPosition;
  count: number;
  bytes: number;
  acked: boolean;
}

/** The embedded log, with its group-commit count (for metrics and tests). */
export interface EmbeddedEventLog extends EventLog {
  /** Write + fdatasync rounds so far: fewer than appends when requests shared a commit. */
  readonly commits: number;
}

/** Opens (creating, or recovering after a crash) the embedded log in `dir`. */
export async function openEmbeddedLog(
  dir: string,
  options: EmbeddedLogOptions = {},
): Promise<EmbeddedEventLog> {
  const log = new EmbeddedLog(dir, options);
  await log.recover();
  return log;
}

class EmbeddedLog implements EmbeddedEventLog {
  commits = 0;
  private readonly segmentBytes: number;
  private readonly maxPendingEvents: number;
  private readonly maxPendingBytes: number;
  private readonly onCommit?: (events: number, ms: number) => void;
  /** Durable size of each segment from the checkpoint's on. */
  private readonly sizes = new Map<number, number>();
  private active = 1;
  private activeHandle?: FileHandle;
  private checkpoint: LogPosition = { segment: 1, offset: 0 };
  private cursor: LogPosition = { segment: 1, offset: 0 };
  private pendingEvents = 0;
  private pendingBytes = 0;
  private queued: QueuedAppend[] = [];
  private queuedEvents = 0;
  private queuedBytes = 0;
  private flushing?: Promise<void>;
  private outstanding: OutstandingBatch[] = [];
  private ackChain: Promise<void> = Promise.resolve();
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly dir: string,
    options: EmbeddedLogOptions,
  ) {
    this.segmentBytes = options.segmentBytes ?? 16 << 20;
    this.maxPendingEvents = options.maxPendingEvents ?? 200_000;
    this.maxPendingBytes = options.maxPendingBytes ?? 256 << 20;
    this.onCommit = options.onCommit;
  }

  /** Finds the segments, truncates a torn tail, counts what is pending from the checkpoint. */
  async recover(): Promise<void> {
    const segments = await listSegments(this.dir);
    this.checkpoint = await readCheckpoint(this.dir, segments[0] ?? 1);
    for (const n of segments) if (n < this.checkpoint.segment) await removeSegment(this.dir, n);
    const live = segments.filter((n) => n >= this.checkpoint.segment);
    for (const n of live) {
      const handle = await open(segmentPath(this.dir, n), 'r');
      try {
        const size = (await handle.stat()).size;
        const from = n === this.checkpoint.segment ? this.checkpoint.offset : 0;
        let offset = from;
        for (;;) {
          const { payloads, end, torn } = await readRecords(handle, offset, size, 10_000);
          this.pendingEvents += payloads.length;
          offset = end;
          if (payloads.length === 0 || torn) break;
        }
        this.pendingBytes += offset - from;
        if (offset < size) await truncate(segmentPath(this.dir, n), offset);
        this.sizes.set(n, offset);
      } finally {
        await handle.close();
      }
    }
    this.active = live.at(-1) ?? this.checkpoint.segment;
    if (!this.sizes.has(this.active)) this.sizes.set(this.active, 0);
    this.activeHandle = await open(segmentPath(this.dir, this.active), 'a+');
    await syncDirectory(this.dir);
    this.cursor = { ...this.checkpoint };
  }

  append(events: CollectedEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new LogUnavailableError('the event log is closed', 5));
    if (events.length === 0) return Promise.resolve();
    const data = Buffer.concat(events.map((event) => encodeRecord(Buffer.from(JSON.stringify(event)))));
    if (
      this.pendingEvents + this.queuedEvents + events.length > this.maxPendingEvents ||
      this.pendingBytes + this.queuedBytes + data.length > this.maxPendingBytes
    ) {
      return Promise.reject(
        new LogBehindError(
          `the event log holds ${this.pendingEvents} events not yet in the warehouse (limit ${this.maxPendingEvents}); retry later`,
          1,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ data, count: events.length, resolve, reject });
      this.queuedEvents += events.length;
      this.queuedBytes += data.length;
      this.kickFlush();
    });
  }

  /** Starts the flush loop unless it runs; restarts it for appends queued as it was ending. */
  private kickFlush(): void {
    if (this.flushing) return;
    this.flushing = (async () => {
      try {
        await this.flushLoop();
      } finally {
        this.flushing = undefined;
      }
      if (this.queued.length > 0) this.kickFlush();
    })();
  }

  /** Writes everything queued in one write + fdatasync, until nothing is queued. */
  private async flushLoop(): Promise<void> {
    while (this.queued.length > 0) {
      const group = this.queued;
      this.queued = [];
      const count = group.reduce((sum, item) => sum + item.count, 0);
      const data = Buffer.concat(group.map((item) => item.data));
      this.queuedEvents -= count;
      this.queuedBytes -= data.length;
      const started = performance.now();
      try {
        await this.writeDurably(data);
        this.onCommit?.(count, performance.now() - started);
      } catch (error) {
        const failure = asAppendError(error as NodeJS.ErrnoException);
        for (const item of group) item.reject(failure);
        continue;
      }
      this.pendingEvents += count;
      this.pendingBytes += data.length;
      for (const item of group) item.resolve();
      this.wake();
    }
  }

  private async writeDurably(data: Buffer): Promise<void> {
    if ((this.sizes.get(this.active) ?? 0) >= this.segmentBytes) await this.rotate();
    const handle = this.activeHandle;
    if (!handle) throw new Error('the event log is not open');
    const offset = this.sizes.get(this.active) ?? 0;
    try {
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await handle.write(data, written, data.length - written, offset + written);
        written += bytesWritten;
      }
      await handle.datasync();
    } catch (error) {
      // Leave no partial group behind: the next write starts at the last durable offset.
      await handle.truncate(offset).catch(() => undefined);
      throw error;
    }
    this.sizes.set(this.active, offset + data.length);
    this.commits++;
  }

  private async rotate(): Promise<void> {
    const next = this.active + 1;
    const handle = await open(segmentPath(this.dir, next), 'a+');
    await syncDirectory(this.dir);
    await this.activeHandle?.close();
    this.activeHandle = handle;
    this.active = next;
    this.sizes.set(next, 0);
  }

  async read(max: number, waitMs: number): Promise<LogBatch> {
    if (!this.hasUnread() && waitMs > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
    }
    const payloads: Buffer[] = [];
    let bytes = 0;
    while (payloads.length < max && this.hasUnread()) {
      const size = this.sizes.get(this.cursor.segment) ?? 0;
      if (this.cursor.offset >= size) {
        this.cursor = { segment: this.cursor.segment + 1, offset: 0 };
        continue;
      }
      const handle = await open(segmentPath(this.dir, this.cursor.segment), 'r');
      try {
        const read = await readRecords(handle, this.cursor.offset, size, max - payloads.length);
        if (read.payloads.length === 0)
          throw new Error(
            `corrupt record in ${segmentPath(this.dir, this.cursor.segment)} at ${this.cursor.offset}`,
          );
        for (const payload of read.payloads) payloads.push(payload);
        const end = read.end;
        bytes += end - this.cursor.offset;
        this.cursor = { segment: this.cursor.segment, offset: end };
      } finally {
        await handle.close();
      }
    }
    // A batch ending at the end of a finished segment ends at the next one's start, so an ack frees it.
    if (this.cursor.segment < this.active && this.cursor.offset >= (this.sizes.get(this.cursor.segment) ?? 0))
      this.cursor = { segment: this.cursor.segment + 1, offset: 0 };
    if (payloads.length === 0) return emptyLogBatch();
    const batch: OutstandingBatch = { end: { ...this.cursor }, count: payloads.length, bytes, acked: false };
    this.outstanding.push(batch);
    return logBatch(payloads, () => this.ack(batch));
  }

  private hasUnread(): boolean {
    if (this.cursor.segment < this.active) return true;
    return this.cursor.offset < (this.sizes.get(this.active) ?? 0);
  }

  private ack(batch: OutstandingBatch): Promise<void> {
    this.ackChain = this.ackChain.then(async () => {
      if (batch.acked) return;
      batch.acked = true;
      let landed: OutstandingBatch | undefined;
      while (this.outstanding[0]?.acked) {
        landed = this.outstanding.shift();
        if (landed) {
          this.pendingEvents -= landed.count;
          this.pendingBytes -= landed.bytes;
        }
      }
      if (!landed) return;
      const previous = this.checkpoint.segment;
      this.checkpoint = { ...landed.end };
      await writeCheckpoint(this.dir, this.checkpoint);
      for (let n = previous; n < this.checkpoint.segment; n++) {
        await removeSegment(this.dir, n);
        this.sizes.delete(n);
      }
    });
    return this.ackChain;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  async stats(): Promise<LogStats> {
    return { pending: this.pendingEvents, pendingBytes: this.pendingBytes };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    await this.ackChain.catch(() => undefined);
    this.wake();
    await this.activeHandle?.close();
    this.activeHandle = undefined;
  }
}

function asAppendError(error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOSPC' || error.code === 'EDQUOT' || error.code === 'EIO' || error.code === 'EROFS')
    return new LogUnavailableError(`the event log cannot write to disk (${error.code}): ${error.message}`, 5);
  return new LogUnavailableError(`the event log failed to write: ${error.message}`, 5);
}
