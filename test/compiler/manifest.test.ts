import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { writeCompiled } from '../../src/compiler/manifest.js';
import { duckdbDialect } from '../../src/warehouse/duckdb/dialect.js';
import { goldenProject } from './golden-project.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempTarget(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-manifest-'));
  dirs.push(dir);
  return path.join(dir, 'target');
}

const generatedAt = new Date('2024-05-06T07:08:09.000Z');

describe('writeCompiled', () => {
  it('writes compiled SQL under target/compiled/<model path>', async () => {
    const target = tempTarget();
    const compiled = compileProject(goldenProject, duckdbDialect);
    await writeCompiled(compiled, target, { generatedAt });
    const file = path.join(target, 'compiled/models/marts/customer_value.sql');
    expect(readFileSync(file, 'utf8')).toBe(compiled.models.find((m) => m.name === 'customer_value')!.sql);
    expect(existsSync(path.join(target, 'compiled/models/staging/stg_orders.sql'))).toBe(true);
  });

  it('writes a manifest with nodes, sources, edges and parent/child maps', async () => {
    const target = tempTarget();
    await writeCompiled(compileProject(goldenProject, duckdbDialect), target, { generatedAt });
    const manifest = JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest)).toEqual([
      'child_map',
      'dialect',
      'edges',
      'generated_at',
      'nodes',
      'parent_map',
      'project',
      'sources',
      'weft_version',
    ]);
    expect(manifest).toMatchObject({
      project: 'demo',
      dialect: 'duckdb',
      generated_at: '2024-05-06T07:08:09.000Z',
    });
    expect(manifest.weft_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(manifest.nodes)).toEqual([
      'model.customer_value',
      'model.stg_customers',
      'model.stg_orders',
    ]);
    const orders = manifest.nodes['model.stg_orders'];
    expect(orders).toMatchObject({
      name: 'stg_orders',
      path: 'models/staging/stg_orders.sql',
      materialized: 'incremental',
      unique_key: ['order_id'],
      relation: { schema: 'weft', name: 'stg_orders' },
      depends_on: { models: [], sources: ['shop.orders'] },
      compiled_path: 'compiled/models/staging/stg_orders.sql',
    });
    expect(orders.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.nodes['model.customer_value'].relation).toEqual({
      schema: 'marts',
      name: 'customer_value',
    });
    expect(manifest.sources['source.shop.orders']).toEqual({
      name: 'shop.orders',
      source: 'shop',
      table: 'orders',
      relation: { schema: 'raw', name: 'shop_orders' },
    });
    expect(manifest.edges).toEqual([
      ['model.stg_customers', 'model.customer_value'],
      ['model.stg_orders', 'model.customer_value'],
      ['source.shop.customers', 'model.stg_customers'],
      ['source.shop.orders', 'model.stg_orders'],
    ]);
    expect(manifest.parent_map['model.customer_value']).toEqual(['model.stg_customers', 'model.stg_orders']);
    expect(manifest.child_map['source.shop.orders']).toEqual(['model.stg_orders']);
    expect(manifest.child_map['model.customer_value']).toEqual([]);
  });

  it('is byte-for-byte stable across runs and removes compiled files of deleted models', async () => {
    const target = tempTarget();
    const stale = path.join(target, 'compiled/models/old_model.sql');
    mkdirSync(path.dirname(stale), { recursive: true });
    writeFileSync(stale, 'select 1');
    await writeCompiled(compileProject(goldenProject, duckdbDialect), target, { generatedAt });
    const first = readFileSync(path.join(target, 'manifest.json'), 'utf8');
    await writeCompiled(compileProject(goldenProject, duckdbDialect), target, { generatedAt });
    expect(readFileSync(path.join(target, 'manifest.json'), 'utf8')).toBe(first);
    expect(existsSync(stale)).toBe(false);
  });
});
