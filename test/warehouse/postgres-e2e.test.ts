/**
 * End to end on Postgres, as a user runs it (the compiled CLI, WEFT_WAREHOUSE_URL=postgres://…):
 * seed, build with identity, profiles and audiences, rebuild (tables that views read get
 * replaced), plan; the identity map and profiles equal the DuckDB engine's for the same seed.
 * Uses its own database, dropped afterwards. Skips (reason printed) without a reachable
 * Postgres, unless WEFT_REQUIRE_PG=1.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { copyDemoProject, weftIn } from '../cli/run-weft.js';
import { postgresTestConfig } from '../support/live-engines.js';

const config = postgresTestConfig();

describe.runIf(config)('the demo on Postgres', () => {
  const database = `weft_e2e_${randomBytes(4).toString('hex')}`;
  let admin: Warehouse;
  let pgDir: string;
  let duckDir: string;
  let url: string;

  const copyProject = copyDemoProject;
  const weft = weftIn;

  beforeAll(async () => {
    admin = await openWarehouse(config ?? { type: 'postgres' }, { projectDir: process.cwd() });
    await admin.execute(`CREATE DATABASE ${admin.dialect.quoteIdent(database)}`);
    const server = new URL(config?.url ?? '');
    server.pathname = `/${database}`;
    url = server.toString();
    pgDir = copyProject('weft-pg-e2e-');
    duckDir = copyProject('weft-duck-e2e-');
  });
  afterAll(async () => {
    await admin?.execute(`DROP DATABASE IF EXISTS ${admin.dialect.quoteIdent(database)} WITH (FORCE)`);
    await admin?.close();
    for (const dir of [pgDir, duckDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds, builds twice, plans, and matches DuckDB identity and profiles', async () => {
    const env = { WEFT_WAREHOUSE_URL: url };
    for (const args of [
      ['seed', '--people', '300'],
      ['build', '--full-refresh'],
      ['build', '--full-refresh'],
      ['build'],
    ]) {
      const run = await weft(pgDir, args, env);
      expect(run.code, `weft ${args.join(' ')}: ${run.stderr}${run.stdout}`).toBe(0);
    }
    const plan = await weft(pgDir, ['plan', 'crm_contacts_webhook'], env);
    expect(plan.stderr + plan.stdout).toMatch(/added/);
    for (const args of [
      ['seed', '--people', '300'],
      ['build', '--full-refresh'],
    ]) {
      const run = await weft(duckDir, args);
      expect(run.code, `duckdb weft ${args.join(' ')}: ${run.stderr}`).toBe(0);
    }

    const pg = await openWarehouse({ type: 'postgres', url }, { projectDir: pgDir });
    const duck = await openWarehouse({ type: 'duckdb' }, { projectDir: duckDir });
    try {
      for (const sql of [
        'SELECT id_type, id_value, profile_id FROM weft.identity_map ORDER BY 1, 2, 3',
        'SELECT * FROM weft.profiles ORDER BY profile_id',
      ]) {
        const [fromPg, fromDuck] = [await pg.query(sql), await duck.query(sql)];
        expect(fromPg.length).toBeGreaterThan(100);
        expect(fromPg).toEqual(fromDuck);
      }
    } finally {
      await pg.close();
      await duck.close();
    }
  }, 300_000);
});
