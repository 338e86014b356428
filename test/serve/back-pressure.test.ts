/**
 * An unreachable warehouse: acknowledged events wait in the log, /ready says why, and once the
 * log holds its bound the collector answers 429 with Retry-After instead of acknowledging more.
 * When the warehouse comes back, landing resumes by itself and acks flow again.
 */
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

// The warehouse file's folder is blocked by a plain file: DuckDB cannot open it until it goes.
const dir = writeEventsProject('', 'type: duckdb\n  path: blocked/warehouse.duckdb');
fs.writeFileSync(path.join(dir, 'blocked'), 'not a folder');
let collector: RunningCollector | undefined;
afterAll(async () => {
  await collector?.close().catch(() => undefined);
  removeProject(dir);
});

const send = (ids: string[]) => sendBatch(collector?.url, SERVER_KEY, ids, 'Queued');

describe('back-pressure', () => {
  it('answers 429 with Retry-After while the warehouse is unreachable, and resumes by itself', {
    timeout: 120_000,
  }, async () => {
    const project = await loadEventsProject(dir);
    collector = await startCollector(project, { port: 0, log: { maxPendingEvents: 5 } });
    expect((await send(['q1', 'q2', 'q3', 'q4', 'q5'])).status).toBe(200);
    const notReady = await waitFor('/ready to report the failing warehouse', async () => {
      const response = await fetch(`${collector?.url}/ready`);
      return response.status === 503 ? ((await response.json()) as { reason: string }) : undefined;
    });
    expect(notReady.reason).toContain('landing in the warehouse fails');
    const refused = await send(['q6']);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toContain('not stored, retry later');

    fs.rmSync(path.join(dir, 'blocked'));
    await waitFor(
      'acks to flow again',
      async () => ((await send(['q6'])).status === 200 ? true : undefined),
      90_000,
    );
    await collector.close();
    collector = undefined;
    const rows = await withWarehouse(project, (w) => w.query('SELECT id FROM events.queued ORDER BY id'));
    expect(rows.map((r) => r.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
  });

  it('stops cleanly while the warehouse is unreachable; the next start lands what was acknowledged', {
    timeout: 120_000,
  }, async () => {
    const other = writeEventsProject('', 'type: duckdb\n  path: blocked/warehouse.duckdb');
    fs.writeFileSync(path.join(other, 'blocked'), 'not a folder');
    try {
      const project = await loadEventsProject(other);
      const first = await startCollector(project, { port: 0 });
      const response = await sendBatch(first.url, SERVER_KEY, ['k1'], 'Kept');
      expect(response.status).toBe(200);
      await waitFor('a failed landing', async () => (first.lander.lastError ? true : undefined));
      await first.close();
      fs.rmSync(path.join(other, 'blocked'));
      const second = await startCollector(project, { port: 0 });
      await waitFor(
        'the kept event to land',
        async () => (second.lander.landed > 0 ? true : undefined),
        60_000,
      );
      await second.close();
      const rows = await withWarehouse(project, (w) => w.query('SELECT id FROM events.kept'));
      expect(rows).toEqual([{ id: 'k1' }]);
    } finally {
      removeProject(other);
    }
  });
});
