/**
 * A really full disk under the embedded log: the log folder is a small tmpfs that the test fills
 * with a filler file. Acks stop (503 + Retry-After naming ENOSPC) instead of lying, what was
 * acknowledged before still lands (the landing's checkpoint write may fail too: it is retried),
 * and once space is freed acks and landing resume by themselves, with no restart.
 * Mounting needs root (these machines and CI run tests as root); elsewhere the test says why it
 * cannot run, and fails when WEFT_REQUIRE_TMPFS=1.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../../src/serve/collector.js';
import { withWarehouse } from '../../src/warehouse/shared-access.js';
import {
  loadEventsProject,
  removeProject,
  SERVER_KEY,
  sendBatch,
  waitFor,
  writeEventsProject,
} from './project.js';

const dir = writeEventsProject('  log_dir: log');
const logDir = path.join(dir, 'log');
fs.mkdirSync(logDir);
const mounted = tryMount();
let collector: RunningCollector | undefined;
afterAll(async () => {
  await collector?.close().catch(() => undefined);
  if (mounted === true) execFileSync('umount', [logDir]);
  removeProject(dir);
});

function tryMount(): true | string {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', logDir], { stdio: 'pipe' });
    return true;
  } catch (error) {
    return `cannot mount a tmpfs (${(error as Error).message.split('\n')[0]})`;
  }
}

/** Fills the tmpfs up to the last byte; returns the filler's path. */
function fill(): string {
  const filler = path.join(logDir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

const send = (ids: string[]) => sendBatch(collector?.url, SERVER_KEY, ids, 'Disk Full');

describe('a full disk under the embedded log', () => {
  it('refuses with 503 while full, loses nothing acknowledged, and resumes by itself once space is freed', {
    timeout: 120_000,
  }, async () => {
    if (mounted !== true) {
      if (process.env.WEFT_REQUIRE_TMPFS === '1') throw new Error(mounted);
      console.warn(`disk-full-real: ${mounted}; not run`);
      return;
    }
    const project = await loadEventsProject(dir);
    collector = await startCollector(project, { port: 0 });
    const before = ['a1', 'a2', 'a3'];
    expect((await send(before)).status).toBe(200);

    const filler = fill();
    // More than the free part of the segment's last page (tmpfs allocates whole pages).
    const refused = await send(Array.from({ length: 60 }, (_, i) => `r${i}`));
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toContain('ENOSPC');

    fs.rmSync(filler);
    const after = await waitFor(
      'acks to flow again',
      async () => ((await send(['b1'])).status === 200 ? ['b1'] : undefined),
      60_000,
    );
    const expected = [...before, ...after].sort();
    const landed = await waitFor('everything acknowledged to land', async () => {
      const rows = await withWarehouse(project, (w) =>
        w.query<{ id: string }>('SELECT id FROM events.disk_full ORDER BY id').catch(() => []),
      );
      const ids = rows.map((r) => r.id);
      return ids.length === expected.length ? ids : undefined;
    });
    // Exactly the acknowledged events: none of the refused ones, none twice.
    expect(landed).toEqual(expected);
  });
});
