import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { jsonLines, runWeft, tempDir } from './run-weft.js';

describe('weft init → build → sync on a fresh project, out of the box', () => {
  const dir = path.join(tempDir(), 'shop_project');
  let emulator: RunningEmulator<WebhookEmulatorState>;
  beforeAll(async () => {
    emulator = await startEmulator(webhookEmulator, {});
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('init scaffolds a complete project and refuses to overwrite it', async () => {
    const first = await runWeft(['init', dir]);
    expect(first.code).toBe(0);
    for (const file of [
      'weft.yml',
      'data/customers.csv',
      'data/orders.csv',
      'models/staging/stg_shop_customers.sql',
      'models/identity.yml',
      'models/profiles.yml',
      'models/audiences/big_spenders.yml',
      'syncs/big_spenders_webhook.yml',
    ])
      expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    const weftYml = fs.readFileSync(path.join(dir, 'weft.yml'), 'utf8');
    expect(weftYml).toContain('name: shop_project');
    // The scaffold's comments say what design.md says: HubSpot's key is access_token.
    expect(weftYml).toContain('access_token: "{{env \'HUBSPOT_TOKEN\'}}"');
    const again = await runWeft(['init', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('validate passes on the scaffold', async () => {
    const res = await runWeft(['validate', '--project', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('valid');
  });

  it('build resolves the bundled CSVs into people, traits and the audience', async () => {
    const build = await runWeft(['build', '--project', dir, '--json']);
    expect(build.code, build.stderr).toBe(0);
    const [result] = jsonLines(build.stdout) as Array<{
      status: string;
      models: Array<{ name: string; status: string; rows_total: number }>;
      identity: { status: string; report: { profiles: number } };
      audiences: { status: string; report: { audiences: Array<{ name: string; size: number }> } };
    }>;
    expect(result?.status).toBe('success');
    const csvRows = (file: string) =>
      fs.readFileSync(path.join(dir, file), 'utf8').trim().split('\n').length - 1;
    const customers = result?.models.find((m) => m.name === 'stg_shop_customers');
    expect(customers?.rows_total).toBe(csvRows('data/customers.csv'));
    // Two accounts share one email: one person fewer than customer rows.
    expect(result?.identity.report.profiles).toBe(csvRows('data/customers.csv') - 1);
    const audience = result?.audiences.report.audiences.find((a) => a.name === 'big_spenders');
    expect(audience?.size).toBeGreaterThan(0);
  });

  it('syncs the audience to the sandbox webhook, then has nothing to send', async () => {
    const env = { WEFT_SANDBOX_WEBHOOK_URL: emulator.url, WEFT_WAREHOUSE_URL: '' };
    const sync = await runWeft(['sync', '--all', '--project', dir, '--json'], { env });
    expect(sync.code, sync.stderr).toBe(0);
    const [summary] = jsonLines(sync.stdout) as Array<{ status: string; added: number; succeeded: number }>;
    expect(summary).toMatchObject({ status: 'success' });
    expect(summary?.added).toBeGreaterThan(0);
    const held = emulator.snapshot().state.records.big_spenders_webhook ?? {};
    expect(Object.keys(held)).toHaveLength(summary?.added ?? -1);
    expect(Object.keys(held)).toContain('hal.stone@mail.test'); // normalized from "  HAL.Stone@Mail.test "
    const again = await runWeft(['sync', '--all', '--project', dir, '--json'], { env });
    expect(jsonLines(again.stdout)).toMatchObject([{ status: 'success', added: 0, changed: 0, removed: 0 }]);
  });

  it('compile writes target/compiled and a manifest', async () => {
    const res = await runWeft(['compile', '--project', dir]);
    expect(res.code, res.stderr).toBe(0);
    const sql = fs.readFileSync(
      path.join(dir, 'target/compiled/models/staging/stg_shop_customers.sql'),
      'utf8',
    );
    expect(sql).toContain('"raw"."customers"');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.nodes)).toContain('model.stg_shop_customers');
  });
});

describe('usage errors', () => {
  it('an unknown command exits 2', async () => {
    const res = await runWeft(['frobnicate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown command/);
  });

  it('a bad option value exits 2 with the reason', async () => {
    const res = await runWeft(['seed', '--people', 'lots', '--project', tempDir()]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--people takes a whole number');
  });

  it('--help teaches with examples and exits 0', async () => {
    const res = await runWeft(['build', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('--select');
    expect(res.stdout).toContain('Examples');
  });

  it('a folder without weft.yml is a config error (exit 2) that says what to do', async () => {
    const res = await runWeft(['build', '--project', tempDir()]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/weft\.yml/);
    expect(res.stderr).toMatch(/weft init/);
  });
});
