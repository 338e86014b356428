/** Build before sync: the first run builds what a sync reads, then only what changed rebuilds. */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWhatChanged } from '../../src/schedule/index.js';
import { ensureScheduleTables } from '../../src/schedule/tables.js';
import {
  createScheduleProject,
  load,
  query,
  RAW,
  SCORED,
  setScoredSql,
  withWarehouse,
  writePeople,
} from './project.js';

describe('buildWhatChanged', () => {
  let dir: string;
  beforeEach(async () => {
    dir = createScheduleProject({ url: 'http://127.0.0.1:1/x', secret: '0123456789' });
    await writePeople(dir, 10);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const build = async (syncs = [SCORED]) => {
    const project = await load(dir);
    const configs = project.syncs.map((s) => s.value).filter((s) => syncs.includes(s.name));
    return withWarehouse(dir, async (warehouse) => {
      await ensureScheduleTables(warehouse, project.config.state_schema);
      return buildWhatChanged(project, warehouse, configs);
    });
  };

  it('builds everything upstream first, then nothing while nothing changed', async () => {
    const first = await build();
    expect(first.built).toEqual(['model:people', 'model:people_scored']);
    expect(first.failures.size).toBe(0);
    expect(await query(dir, 'SELECT count(*) AS n FROM weft.people_scored')).toEqual([{ n: 10 }]);
    const second = await build();
    expect(second.built).toEqual([]);
    const nodes = await query(dir, 'SELECT node FROM weft_state.build_state ORDER BY node');
    expect(nodes.map((r) => r.node)).toEqual(['model:people', 'model:people_scored']);
  });

  it('a changed source table rebuilds the models reading it, transitively', async () => {
    await build();
    await writePeople(dir, 10, 2); // same row count, different rows
    expect((await build()).built).toEqual(['model:people', 'model:people_scored']);
    expect(await query(dir, "SELECT score FROM weft.people_scored WHERE email = 'p3@x'")).toEqual([
      { score: 12 },
    ]);
    expect((await build()).built).toEqual([]);
  });

  it("a changed model's SQL rebuilds that model (and its downstream) only", async () => {
    await build();
    setScoredSql(dir, 'select email, name, score * 3 as score from {{ref "people"}}');
    expect((await build()).built).toEqual(['model:people_scored']);
    expect(await query(dir, "SELECT score FROM weft.people_scored WHERE email = 'p3@x'")).toEqual([
      { score: 9 },
    ]);
  });

  it('a sync reading a source table needs no build', async () => {
    expect((await build([RAW])).built).toEqual([]);
  });

  it('a failed model fails the syncs reading it, with the reason, and is retried next time', async () => {
    await build();
    setScoredSql(dir, 'select email, no_such_column from {{ref "people"}}');
    const failed = await build([SCORED, RAW]);
    expect(failed.built).toEqual([]);
    expect([...failed.failures.keys()]).toEqual([SCORED]);
    expect(failed.failures.get(SCORED)).toMatch(
      /^build failed: model people_scored \(models\/people_scored\.sql\) failed: .*no_such_column/s,
    );
    setScoredSql(dir, 'select email, name, score * 3 as score from {{ref "people"}}');
    expect((await build()).built).toEqual(['model:people_scored']);
  });
});
