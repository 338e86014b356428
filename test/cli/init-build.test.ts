import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runWeft, tempDir } from './run-weft.js';

describe('weft init → seed → build on a fresh project', () => {
  const dir = path.join(tempDir(), 'shop_project');

  it('init scaffolds a project and refuses to overwrite it', async () => {
    const first = await runWeft(['init', dir]);
    expect(first.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'weft.yml'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'models/staging/stg_shop_customers.sql'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'weft.yml'), 'utf8')).toContain('name: shop_project');
    const again = await runWeft(['init', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('validate passes on the scaffold', async () => {
    const res = await runWeft(['validate', '--project', dir]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('valid');
  });

  it('seed then build runs the scaffold model, with JSON-only stdout under --json', async () => {
    const seed = await runWeft(['seed', '--people', '300', '--project', dir, '--json']);
    expect(seed.code, seed.stderr).toBe(0);
    const [seedResult] = jsonLines(seed.stdout) as Array<{ tables: Array<{ table: string; rows: number }> }>;
    expect(seedResult?.tables.find((t) => t.table.endsWith('customers'))?.rows).toBeGreaterThan(0);

    const build = await runWeft(['build', '--project', dir, '--json']);
    expect(build.code, build.stderr).toBe(0);
    const [result] = jsonLines(build.stdout) as Array<{
      status: string;
      models: Array<{ name: string; status: string; rows_total: number }>;
    }>;
    expect(result?.status).toBe('success');
    const model = result?.models.find((m) => m.name === 'stg_shop_customers');
    expect(model?.status).toBe('success');
    expect(model?.rows_total).toBe(seedResult?.tables.find((t) => t.table.endsWith('customers'))?.rows);
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
