/**
 * The embedded log's record framing: `[u32 length][u32 crc32 of payload][payload]`, big-endian.
 * A torn write after a crash leaves a record whose length runs past the file's end or whose
 * checksum does not match: `scanRecords` stops there, and the opener truncates the tail.
 */
import { crc32 } from 'node:zlib';

/** Bytes of a record's header. */
export const HEADER_BYTES = 8;

/** Frames one payload as a record. */
export function encodeRecord(payload: Buffer): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  record.writeUInt32BE(payload.length, 0);
  record.writeUInt32BE(crc32(payload), 4);
  payload.copy(record, HEADER_BYTES);
  return record;
}

/** One whole, checksum-valid record found in a buffer. */
export interface ScannedRecord {
  payload: Buffer;
  /** Offset of the record's first byte after it, relative to the buffer. */
  end: number;
}

/**
 * The whole valid records at the start of `buffer`; `validEnd` is where the valid prefix ends
 * and `torn` tells whether bytes after it are not a whole valid record (a torn or corrupt tail,
 * or simply a record not read completely yet when the buffer is a window of the file).
 */
export function scanRecords(buffer: Buffer): { records: ScannedRecord[]; validEnd: number; torn: boolean } {
  const records: ScannedRecord[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const end = offset + HEADER_BYTES + length;
    if (end > buffer.length) break;
    const payload = buffer.subarray(offset + HEADER_BYTES, end);
    if (crc32(payload) !== buffer.readUInt32BE(offset + 4)) return { records, validEnd: offset, torn: true };
    records.push({ payload, end });
    offset = end;
  }
  return { records, validEnd: offset, torn: offset < buffer.length };
}
