/** `weft build` records what it built, so the scheduler afterwards rebuilds only what changes. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/index.js';
import { fingerprintBeforeBuild } from '../../src/schedule/build/record-build.js';
import { buildWhatChanged } from '../../src/schedule/index.js';
import { ensureScheduleTables } from '../../src/schedule/tables.js';
import {
  createScheduleProject,
  load,
  query,
  SCORED,
  setScoredSql,
  withWarehouse,
  writePeople,
} from './project.js';

describe('fingerprintBeforeBuild (weft build)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = createScheduleProject({ url: 'http://127.0.0.1:1/x', secret: '0123456789' });
    await writePeople(dir, 10);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const weftBuild = async (select?: string) => {
    const project = await load(dir);
    return withWarehouse(dir, async (warehouse) => {
      const record = await fingerprintBeforeBuild(project, warehouse);
      return record(await buildProject(project, warehouse, { select }));
    });
  };
  const scheduledBuild = async () => {
    const project = await load(dir);
    const configs = project.syncs.map((s) => s.value).filter((s) => s.name === SCORED);
    return withWarehouse(dir, async (warehouse) => {
      await ensureScheduleTables(warehouse, project.config.state_schema);
      return (await buildWhatChanged(project, warehouse, configs)).built;
    });
  };

  it('records every built node, and the scheduler then rebuilds nothing', async () => {
    expect(await weftBuild()).toEqual(['model:people', 'model:people_scored']);
    expect(await scheduledBuild()).toEqual([]);
    await writePeople(dir, 10, 2);
    expect(await scheduledBuild()).toEqual(['model:people', 'model:people_scored']);
  });

  it('records only the selected nodes, and nothing for a failed model', async () => {
    expect(await weftBuild('people')).toEqual(['model:people']);
    expect(await scheduledBuild()).toEqual(['model:people_scored']);
    setScoredSql(dir, 'select no_such_column from {{ref "people"}}');
    expect(await weftBuild()).toEqual(['model:people']);
    const nodes = await query(dir, 'SELECT node FROM weft_state.build_state ORDER BY node');
    // people_scored keeps its old fingerprint, which no longer matches: the scheduler retries it.
    expect(nodes.map((r) => r.node)).toEqual(['model:people', 'model:people_scored']);
    setScoredSql(dir, 'select email, name, score * 2 as score from {{ref "people"}}');
    expect(await scheduledBuild()).toEqual([]);
  });

  it('records nothing, and keeps no state, without scheduled syncs', async () => {
    fs.rmSync(path.join(dir, 'syncs'), { recursive: true });
    expect(await weftBuild()).toEqual([]);
    const tables = await query(
      dir,
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'build_state'",
    );
    expect(tables).toEqual([{ n: 0 }]);
  });

  it('records only what scheduled syncs read', async () => {
    const file = path.join(dir, 'syncs', `${SCORED}.yml`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^schedule: .*$/m, ''));
    // The remaining scheduled sync reads the source table itself: no model is upstream of it.
    expect(await weftBuild()).toEqual([]);
  });

  it('records nothing when the sources are missing (the build reports that itself)', async () => {
    await withWarehouse(dir, (w) => w.execute('DROP TABLE app.people'));
    expect(await weftBuild()).toEqual([]);
  });
});
