/**
 * The overview's event throughput: nothing while the collector's tables do not exist; once they
 * do, each table's rows and last event, events per hour (24 h) and per day (14 days) as the rows
 * written here say, counted against the warehouse's own clock; and the overview page shows them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectOrThrow } from '../../src/config/project.js';
import type { Project } from '../../src/config/types.js';
import { type RunningConsole, startConsole } from '../../src/serve/console/start.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Row } from '../../src/warehouse/types.js';
import { copyDemoProject } from '../cli/run-weft.js';
import { chromiumAvailable, consoleBrowser } from './browser.js';

interface Throughput {
  schema: string;
  tables: Array<{ table: string; rows: number; last_received_at: string | null }>;
  last_received_at: string | null;
  per_hour: Array<{ hour: string; events: number }>;
  per_day: Array<{ day: string; events: number }>;
}

describe('event throughput on the overview', () => {
  const viewer = `viewer-${randomBytes(8).toString('hex')}`;
  let dir: string;
  let project: Project;
  let running: RunningConsole;
  const sql = async (text: string): Promise<Row[]> => {
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
    try {
      return await warehouse.query(text);
    } finally {
      await warehouse.close();
    }
  };
  const overview = async () => {
    const response = await fetch(`${running.url}/console/api/overview`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { events: Throughput | null }).events;
  };

  beforeAll(async () => {
    dir = copyDemoProject('weft-console-events-');
    const text = fs.readFileSync(path.join(dir, 'weft.yml'), 'utf8');
    fs.writeFileSync(
      path.join(dir, 'weft.yml'),
      text.replace(/^( {2}viewer_key: .*)$/m, `  viewer_key: "${viewer}"`),
    );
    project = await loadProjectOrThrow(dir);
    running = await startConsole(project, { port: 0 });
    // Times relative to the warehouse's UTC clock (the dialect's currentTimestamp; the test reads none): 3 tracks an hour ago, 2 three
    // days ago, 1 twenty days ago (outside every window); 1 identify two hours ago.
    await sql(`CREATE SCHEMA IF NOT EXISTS events;
      CREATE TABLE events.tracks AS SELECT * FROM (VALUES
        ('t1', timezone('UTC', current_timestamp) - INTERVAL 1 HOUR), ('t2', timezone('UTC', current_timestamp) - INTERVAL 1 HOUR),
        ('t3', timezone('UTC', current_timestamp) - INTERVAL 1 HOUR), ('t4', timezone('UTC', current_timestamp) - INTERVAL 3 DAY),
        ('t5', timezone('UTC', current_timestamp) - INTERVAL 3 DAY), ('t6', timezone('UTC', current_timestamp) - INTERVAL 20 DAY)
      ) AS v(id, received_at);
      CREATE TABLE events.identifies AS SELECT 'i1' AS id, timezone('UTC', current_timestamp) - INTERVAL 2 HOUR AS received_at`);
  });
  afterAll(async () => {
    await running?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is absent while the collector has landed nothing (another copy of the demo)', async () => {
    const bare = copyDemoProject('weft-console-noevents-');
    const text = fs.readFileSync(path.join(bare, 'weft.yml'), 'utf8');
    fs.writeFileSync(
      path.join(bare, 'weft.yml'),
      text.replace(/^( {2}viewer_key: .*)$/m, `  viewer_key: "${viewer}"`),
    );
    const other = await startConsole(await loadProjectOrThrow(bare), { port: 0 });
    try {
      const response = await fetch(`${other.url}/console/api/overview`, {
        headers: { authorization: `Bearer ${viewer}` },
      });
      const body = (await response.json()) as { events: unknown; syncs: unknown[] };
      expect(project.config.events?.schema).toBe('events');
      expect(body.syncs.length).toBeGreaterThan(0);
      expect(body.events).toBeNull();
    } finally {
      await other.close();
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it('counts per table, per hour and per day, up to the warehouse clock', async () => {
    const buckets = await sql(`SELECT id, strftime(received_at, '%Y-%m-%d %H') AS hour,
        strftime(received_at, '%Y-%m-%d') AS day, strftime(received_at, '%Y-%m-%dT%H:%M:%S') AS at
      FROM (SELECT * FROM events.tracks UNION ALL SELECT * FROM events.identifies) ORDER BY id`);
    const of = (id: string) => buckets.find((b) => b.id === id) as Row;
    const tally = (ids: string[], key: 'hour' | 'day') => {
      const out = new Map<string, number>();
      for (const id of ids) out.set(String(of(id)[key]), (out.get(String(of(id)[key])) ?? 0) + 1);
      return [...out.entries()].sort().map(([k, n]) => ({ [key]: k, events: n }));
    };

    const events = await overview();
    expect(events).not.toBeNull();
    expect(events?.tables.map((t) => [t.table, t.rows])).toEqual([
      ['tracks', 6],
      ['identifies', 1],
    ]);
    expect(events?.tables[0]?.last_received_at).toContain(String(of('t1').at));
    expect(events?.last_received_at).toContain(String(of('t1').at));
    expect(events?.per_hour).toEqual(tally(['t1', 't2', 't3', 'i1'], 'hour'));
    expect(events?.per_day).toEqual(tally(['t1', 't2', 't3', 't4', 't5', 'i1'], 'day'));
  });

  it.runIf(chromiumAvailable())('shows them on the overview page', async () => {
    const browser = await consoleBrowser(running.url);
    try {
      const page = await browser.signedIn(viewer);
      await page.getByRole('heading', { name: 'Collected events' }).waitFor();
      expect(await page.getByTestId('events-summary').textContent()).toMatch(
        /4 in the last 24 hours · 6 in the last 14 days/,
      );
      const rows = await page.getByTestId('event-tables').locator('tbody tr').allTextContents();
      expect(rows.map((r) => r.replace(/\d{4}-.*$/, ''))).toEqual(['tracks6', 'identifies1']);
    } finally {
      await browser.close();
    }
  });
});
