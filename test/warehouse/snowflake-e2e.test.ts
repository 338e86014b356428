/**
 * End to end on Snowflake as a user runs it, without cloud access: the compiled CLI with
 * WEFT_WAREHOUSE_URL=snowflake://… pointing at the local emulator (the real snowflake-sdk
 * logs in, queries, streams result chunks and loads through PUT + COPY INTO). Seed, build with
 * identity, profiles and audiences, rebuild, incremental build; the identity map and profiles
 * equal the DuckDB engine's for the same seed. Then plan, a sync to the webhook sandbox
 * (streamed diff, journal loaded and merged) and a plan with nothing left to send.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { snowflakeEngine } from '../../src/warehouse/snowflake/index.js';
import { copyDemoProject, weftIn } from '../cli/run-weft.js';
import { type SnowflakeEmulator, startSnowflakeEmulator } from '../support/snowflake-emulator/index.js';

describe('the demo on Snowflake (emulator)', () => {
  let emulator: SnowflakeEmulator;
  let webhook: RunningEmulator;
  let url: string;
  let sfDir: string;
  let duckDir: string;

  const copyProject = copyDemoProject;
  const weft = weftIn;

  beforeAll(async () => {
    emulator = await startSnowflakeEmulator();
    webhook = await startEmulator(webhookEmulator);
    const user = emulator.users.password;
    url =
      `snowflake://${user.name}:${encodeURIComponent(user.password)}@${emulator.account}/WEFT` +
      `?warehouse=EMULATOR_WH&query_tag=weft-e2e&access_url=${encodeURIComponent(emulator.url)}`;
    sfDir = copyProject('weft-sf-e2e-');
    duckDir = copyProject('weft-duck-e2e-');
  });
  afterAll(async () => {
    await emulator?.close();
    await webhook?.close();
    for (const dir of [sfDir, duckDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ WEFT_WAREHOUSE_URL: url });

  it("seeds, builds twice, builds incrementally; identity_map and profiles equal DuckDB's", async () => {
    for (const args of [
      ['seed', '--people', '200'],
      ['build', '--full-refresh'],
      ['build', '--full-refresh'],
      ['build'],
    ]) {
      const run = await weft(sfDir, args, env());
      expect(run.code, `weft ${args.join(' ')}: ${run.stderr}${run.stdout}`).toBe(0);
      expect(run.stderr + run.stdout).not.toContain(emulator.users.password.password);
    }
    expect(emulator.requests.some((request) => request.sqlText?.startsWith('PUT '))).toBe(true);
    expect(emulator.queryTags).toContain('weft-e2e');

    for (const args of [
      ['seed', '--people', '200'],
      ['build', '--full-refresh'],
    ]) {
      const run = await weft(duckDir, args);
      expect(run.code, `duckdb weft ${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
    const sf = await snowflakeEngine.open({ type: 'snowflake', url }, { projectDir: sfDir });
    const duck = await openWarehouse({ type: 'duckdb' }, { projectDir: duckDir });
    try {
      for (const sql of [
        'SELECT "id_type", "id_value", "profile_id" FROM "weft"."identity_map" ORDER BY 1, 2, 3',
        'SELECT * FROM "weft"."profiles" ORDER BY "profile_id"',
      ]) {
        const [fromSnowflake, fromDuck] = [await sf.query(sql), await duck.query(sql)];
        expect(fromSnowflake.length).toBeGreaterThan(100);
        expect(fromSnowflake).toEqual(fromDuck);
      }
    } finally {
      await sf.close();
      await duck.close();
    }
  }, 300_000);

  // Sessions fold identifiers (QUOTED_IDENTIFIERS_IGNORE_CASE): Snowflake lists weft's columns
  // upper-case; columnsQuery reports them as weft spells them, so plan and sync find their keys.
  it('plans, syncs to the webhook sandbox, and plans nothing left to send', async () => {
    const plan = await weft(sfDir, ['plan', 'crm_contacts_webhook'], env());
    expect(plan.code, plan.stderr).toBe(0);
    const added = Number(/(\d+) added/.exec(plan.stdout)?.[1]);
    expect(added).toBeGreaterThan(10);
    const syncEnv = { ...env(), WEFT_WEBHOOK_URL: String(webhook.settings.url) };
    const sync = await weft(sfDir, ['sync', 'crm_contacts_webhook'], syncEnv);
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(sync.stdout).toContain(`${added} acknowledged`);
    const again = await weft(sfDir, ['plan', 'crm_contacts_webhook'], syncEnv);
    expect(again.stdout).toContain(`0 added · 0 changed · 0 removed · ${added} unchanged`);
  }, 300_000);
});
