import { describe, expect, it } from 'vitest';
import { type DestinationRecord, recordBytes } from '../../src/destination-kit/index.js';
import { Batcher, recordSize } from '../../src/sync/runner/batcher.js';

const record = (key: string, fields: Record<string, unknown> = {}): DestinationRecord => ({
  key,
  op: 'added',
  fields,
});

describe('Batcher', () => {
  it('measures a record exactly like destination-kit recordBytes (UTF-8, multi-byte text included)', () => {
    for (const r of [
      record('a@example.com', { name: 'Ann', ltv: 12.5 }),
      record('zoë@exämple.com', { name: '山田 太郎', note: 'emoji 🎉', nested: { a: [1, null] } }),
      record('', {}),
    ])
      expect(recordSize(r)).toBe(recordBytes(r));
  });

  it('cuts batches at maxRecords and before maxBytes would be exceeded, and spots records too big alone', () => {
    const size = recordSize(record('k0', { v: 'x'.repeat(10) }));
    const byCount = new Batcher({ maxRecords: 2 });
    const keys = (batch: { record: DestinationRecord }[] | undefined) => batch?.map((p) => p.record.key);
    expect(byCount.size(record('k'))).toBe(0); // no byte limit: nothing to measure
    expect(byCount.add({ record: record('a'), hash: null }, 0)).toBeUndefined();
    expect(keys(byCount.add({ record: record('b'), hash: null }, 0))).toEqual(['a', 'b']);
    expect(byCount.flush()).toBeUndefined();

    const byBytes = new Batcher({ maxRecords: 100, maxBytes: size * 2 + 1 });
    const items = [0, 1, 2].map((i) => record(`k${i}`, { v: 'x'.repeat(10) }));
    expect(byBytes.size(items[0] as DestinationRecord)).toBe(size);
    expect(byBytes.add({ record: items[0] as DestinationRecord, hash: 'h' }, size)).toBeUndefined();
    expect(byBytes.add({ record: items[1] as DestinationRecord, hash: 'h' }, size)).toBeUndefined();
    expect(keys(byBytes.add({ record: items[2] as DestinationRecord, hash: 'h' }, size))).toEqual([
      'k0',
      'k1',
    ]);
    expect(keys(byBytes.flush())).toEqual(['k2']);
    expect(byBytes.tooBig(size * 2 + 1)).toBe(false);
    expect(byBytes.tooBig(size * 2 + 2)).toBe(true);
  });
});
