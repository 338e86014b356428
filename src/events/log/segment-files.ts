/**
 * The embedded log's files: numbered segment files (`000000000001.seg`) holding framed records,
 * and `checkpoint.json`, the position up to which every event has landed. All writes that must
 * survive a crash are fsync'd, the directory too when a file appears or is renamed.
 */
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HEADER_BYTES, scanRecords } from './record.js';

/** A position in the log: a segment number and a byte offset in it. */
export interface LogPosition {
  segment: number;
  offset: number;
}

const SEGMENT_SUFFIX = '.seg';
const CHECKPOINT = 'checkpoint.json';
/** Bytes read at a time when scanning a segment: bounds the memory a scan holds. */
export const SCAN_CHUNK_BYTES = 1 << 20;

/** The path of segment `n`. */
export function segmentPath(dir: string, n: number): string {
  return path.join(dir, `${String(n).padStart(12, '0')}${SEGMENT_SUFFIX}`);
}

/** Segment numbers present in `dir`, ascending (the folder is created when missing). */
export async function listSegments(dir: string): Promise<number[]> {
  await mkdir(dir, { recursive: true });
  const names = await readdir(dir);
  return names
    .filter((name) => /^\d{12}\.seg$/.test(name))
    .map((name) => Number(name.slice(0, 12)))
    .sort((a, b) => a - b);
}

/** The landed position, or the start of the first segment when none was written yet. */
export async function readCheckpoint(dir: string, first: number): Promise<LogPosition> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dir, CHECKPOINT), 'utf8')) as LogPosition;
    if (Number.isSafeInteger(parsed.segment) && Number.isSafeInteger(parsed.offset)) return parsed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { segment: first, offset: 0 };
}

/** Writes the checkpoint atomically and durably (temp file, fsync, rename, fsync the folder). */
export async function writeCheckpoint(dir: string, position: LogPosition): Promise<void> {
  const temp = path.join(dir, `${CHECKPOINT}.tmp`);
  await writeFile(temp, JSON.stringify(position), { flush: true });
  await rename(temp, path.join(dir, CHECKPOINT));
  await syncDirectory(dir);
}

/** fsyncs a folder so a file created, renamed or removed in it survives a crash. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes segment `n`. */
export async function removeSegment(dir: string, n: number): Promise<void> {
  await rm(segmentPath(dir, n), { force: true });
}

/**
 * Reads the whole valid records of an open segment from `from`, at most `maxRecords` and up to
 * byte `limit`, a chunk at a time. Returns their payloads and the offset after the last one; a
 * record cut by `limit` or torn is not returned (`end` stops before it).
 */
export async function readRecords(
  handle: FileHandle,
  from: number,
  limit: number,
  maxRecords: number,
): Promise<{ payloads: Buffer[]; end: number; torn: boolean }> {
  const payloads: Buffer[] = [];
  let offset = from;
  while (offset < limit && payloads.length < maxRecords) {
    let size = Math.min(SCAN_CHUNK_BYTES, limit - offset);
    if (size >= HEADER_BYTES) {
      // A record longer than one chunk: read exactly that record.
      const header = Buffer.alloc(HEADER_BYTES);
      await handle.read(header, 0, HEADER_BYTES, offset);
      size = Math.min(Math.max(size, HEADER_BYTES + header.readUInt32BE(0)), limit - offset);
    }
    // Each chunk has a buffer of its own, so payloads can stay views into it (no copy per record).
    const buffer = Buffer.allocUnsafeSlow(size);
    const { bytesRead } = await handle.read(buffer, 0, size, offset);
    const scanned = scanRecords(buffer.subarray(0, bytesRead));
    let consumed = 0;
    for (const record of scanned.records) {
      if (payloads.length >= maxRecords) break;
      payloads.push(record.payload);
      consumed = record.end;
    }
    if (consumed === 0) return { payloads, end: offset, torn: scanned.torn };
    offset += consumed;
  }
  return { payloads, end: offset, torn: false };
}
