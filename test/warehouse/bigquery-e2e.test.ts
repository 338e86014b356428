/**
 * End to end on BigQuery as a user runs it, without cloud access: the compiled CLI with
 * WEFT_WAREHOUSE_URL=bigquery://… pointing at the local BigQuery endpoint (the real
 * @google-cloud/bigquery client gets a token with a service-account key file, runs query jobs
 * in a session, pages results and loads through load jobs). Seed, build, incremental build,
 * plan, a sync to the webhook sandbox and a plan with nothing left; the identity map and
 * profiles equal the DuckDB engine's for the same seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { copyDemoProject, weftIn } from '../cli/run-weft.js';
import { type BigQueryEmulator, startBigQueryEmulator } from '../support/bigquery-emulator/index.js';
import { openOnEmulator } from '../support/bigquery-emulator/open.js';

describe('the demo on BigQuery (local endpoint)', () => {
  let emulator: BigQueryEmulator;
  let webhook: RunningEmulator;
  let url: string;
  let bqDir: string;
  let duckDir: string;

  const copyProject = copyDemoProject;
  const weft = weftIn;

  beforeAll(async () => {
    emulator = await startBigQueryEmulator();
    webhook = await startEmulator(webhookEmulator);
    bqDir = copyProject('weft-bq-e2e-');
    duckDir = copyProject('weft-duck-e2e-');
    fs.writeFileSync(path.join(bqDir, 'sa-key.json'), JSON.stringify(emulator.serviceAccountKey));
    url = `bigquery://${emulator.projectId}?location=US&key_file=sa-key.json&api_endpoint=${encodeURIComponent(emulator.url)}`;
  });
  afterAll(async () => {
    await emulator?.close();
    await webhook?.close();
    for (const dir of [bqDir, duckDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds, builds, plans, syncs, and matches DuckDB identity and profiles', async () => {
    const env = { WEFT_WAREHOUSE_URL: url };
    for (const args of [['seed', '--people', '200'], ['build', '--full-refresh'], ['build']]) {
      const run = await weft(bqDir, args, env);
      expect(run.code, `weft ${args.join(' ')}: ${run.stderr}${run.stdout}`).toBe(0);
      expect(run.stderr + run.stdout).not.toContain('PRIVATE KEY');
    }
    const plan = await weft(bqDir, ['plan', 'crm_contacts_webhook'], env);
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    const added = Number(/(\d+) added/.exec(plan.stdout)?.[1]);
    expect(added).toBeGreaterThan(10);
    const syncEnv = { ...env, WEFT_WEBHOOK_URL: String(webhook.settings.url) };
    const sync = await weft(bqDir, ['sync', 'crm_contacts_webhook'], syncEnv);
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(sync.stdout).toContain(`${added} acknowledged`);
    const again = await weft(bqDir, ['plan', 'crm_contacts_webhook'], syncEnv);
    expect(again.stdout).toContain(`0 added · 0 changed · 0 removed · ${added} unchanged`);
    expect(emulator.requests.some((request) => request.api === 'jobs.upload')).toBe(true);

    for (const args of [
      ['seed', '--people', '200'],
      ['build', '--full-refresh'],
    ]) {
      const run = await weft(duckDir, args);
      expect(run.code, `duckdb weft ${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
    const bq = await openOnEmulator(emulator);
    const duck = await openWarehouse({ type: 'duckdb' }, { projectDir: duckDir });
    try {
      for (const [bqSql, duckSql] of [
        [
          'SELECT id_type, id_value, profile_id FROM `weft`.`identity_map` ORDER BY 1, 2, 3',
          'SELECT id_type, id_value, profile_id FROM weft.identity_map ORDER BY 1, 2, 3',
        ],
        [
          'SELECT * FROM `weft`.`profiles` ORDER BY profile_id',
          'SELECT * FROM weft.profiles ORDER BY profile_id',
        ],
      ] as const) {
        const [fromBigQuery, fromDuck] = [await bq.query(bqSql), await duck.query(duckSql)];
        expect(fromBigQuery.length).toBeGreaterThan(100);
        expect(fromBigQuery).toEqual(fromDuck);
      }
    } finally {
      await bq.close();
      await duck.close();
    }
  }, 300_000);
});
