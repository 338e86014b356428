import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogBehindError, openEmbeddedLog } from '../../src/events/log/index.js';
import type { CollectedEvent } from '../../src/events/types.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'weft-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function event(n: number): CollectedEvent {
  return {
    messageId: `m-${n}`,
    type: 'track',
    source: 'web',
    userId: `u-${n % 7}`,
    event: 'Order Completed',
    properties: { n, note: 'é'.repeat(n % 5) },
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:01.000Z',
  };
}
const events = (from: number, count: number) => Array.from({ length: count }, (_, i) => event(from + i));
const segments = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.seg'));

describe('the embedded event log', () => {
  it('group-commits concurrent appends: fewer fsync rounds than appends, every event readable in order', async () => {
    const log = await openEmbeddedLog(freshDir());
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append([event(i)])));
    expect(log.commits).toBeLessThan(50);
    expect(log.commits).toBeGreaterThan(0);
    const batch = await log.read(100, 0);
    expect(batch.events.map((e) => e.messageId).sort()).toEqual(
      events(0, 50)
        .map((e) => e.messageId)
        .sort(),
    );
    expect(batch.events[0]).toEqual(event(Number(batch.events[0]?.messageId.slice(2))));
    expect((await log.stats()).pending).toBe(50);
    await log.close();
  });

  it('replays unacknowledged events after a restart, and not acknowledged ones', async () => {
    const dir = freshDir();
    const first = await openEmbeddedLog(dir);
    await first.append(events(0, 10));
    const landed = await first.read(4, 0);
    expect(landed.events.map((e) => e.messageId)).toEqual(['m-0', 'm-1', 'm-2', 'm-3']);
    await landed.ack();
    await first.read(6, 0); // read but never acked: a crash before landing
    await first.close();
    const second = await openEmbeddedLog(dir);
    expect((await second.stats()).pending).toBe(6);
    const replay = await second.read(100, 0);
    expect(replay.events.map((e) => e.messageId)).toEqual(events(4, 6).map((e) => e.messageId));
    await second.close();
  });

  it('truncates a torn last record after a crash and keeps every whole one', async () => {
    const dir = freshDir();
    const first = await openEmbeddedLog(dir);
    await first.append(events(0, 3));
    await first.close();
    const [segment] = segments(dir);
    const file = path.join(dir, String(segment));
    const whole = statSync(file).size;
    // A crash mid-write: a header promising 500 bytes, then only some of them.
    const torn = Buffer.alloc(40);
    torn.writeUInt32BE(500, 0);
    appendFileSync(file, torn);
    const second = await openEmbeddedLog(dir);
    expect(statSync(file).size).toBe(whole);
    await second.append([event(3)]);
    const all = await second.read(100, 0);
    expect(all.events.map((e) => e.messageId)).toEqual(['m-0', 'm-1', 'm-2', 'm-3']);
    await second.close();
  });

  it('detects a record whose checksum does not match and truncates from there', async () => {
    const dir = freshDir();
    const first = await openEmbeddedLog(dir);
    await first.append(events(0, 2));
    await first.close();
    const file = path.join(dir, String(segments(dir)[0]));
    const bad = Buffer.from('{"messageId":"x"}');
    const header = Buffer.alloc(8);
    header.writeUInt32BE(bad.length, 0);
    header.writeUInt32BE(12345, 4);
    appendFileSync(file, Buffer.concat([header, bad]));
    const second = await openEmbeddedLog(dir);
    expect((await second.read(100, 0)).events.map((e) => e.messageId)).toEqual(['m-0', 'm-1']);
    await second.close();
  });

  it('deletes a segment only once every event in it is acknowledged', async () => {
    const dir = freshDir();
    const log = await openEmbeddedLog(dir, { segmentBytes: 600 });
    for (let i = 0; i < 12; i++) await log.append(events(i * 2, 2));
    const before = segments(dir).length;
    expect(before).toBeGreaterThan(2);
    const part = await log.read(3, 0);
    await part.ack();
    expect(segments(dir).length).toBeGreaterThanOrEqual(before - 1);
    const rest = await log.read(1000, 0);
    expect(segments(dir).length).toBeGreaterThanOrEqual(before - 1);
    await rest.ack();
    expect(segments(dir).length).toBe(1);
    expect((await log.stats()).pending).toBe(0);
    await log.close();
    const reopened = await openEmbeddedLog(dir, { segmentBytes: 600 });
    expect((await reopened.read(100, 0)).events).toEqual([]);
    await reopened.close();
  });

  it('refuses appends with LogBehindError past its bound, and takes them again once events land', async () => {
    const log = await openEmbeddedLog(freshDir(), { maxPendingEvents: 5 });
    await log.append(events(0, 5));
    const refused = await log.append([event(5)]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LogBehindError);
    expect((refused as LogBehindError).retryAfterSeconds).toBeGreaterThan(0);
    await (await log.read(10, 0)).ack();
    await log.append([event(5)]);
    expect((await log.read(10, 0)).events.map((e) => e.messageId)).toEqual(['m-5']);
    await log.close();
  });

  it('wakes a waiting reader when events arrive', async () => {
    const log = await openEmbeddedLog(freshDir());
    const waiting = log.read(10, 60_000);
    await log.append([event(1)]);
    expect((await waiting).events.map((e) => e.messageId)).toEqual(['m-1']);
    await log.close();
  });
});
