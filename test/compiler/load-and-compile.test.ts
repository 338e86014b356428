/** End to end through the config loader: a fixture project directory compiled and written to target/. */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { writeCompiled } from '../../src/compiler/manifest.js';
import { loadProjectOrThrow } from '../../src/config/project.js';
import { duckdbDialect } from '../../src/warehouse/duckdb/dialect.js';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/compiler/shop');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'weft-compile-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('compiling a project loaded from disk', () => {
  it('uses the config comments, sources and vars the loader read', async () => {
    cpSync(fixture, workDir, { recursive: true });
    const project = await loadProjectOrThrow(workDir, { env: {} });
    const compiled = compileProject(project, duckdbDialect);
    expect(compiled.order).toEqual(['stg_customers', 'stg_orders', 'customer_value']);
    const orders = compiled.models.find((m) => m.name === 'stg_orders')!;
    expect(orders).toMatchObject({
      materialized: 'incremental',
      unique_key: ['order_id'],
      path: 'models/staging/stg_orders.sql',
    });
    expect(orders.sql).toBe(
      'select order_id, customer_id, amount, updated_at\nfrom "raw"."orders"\nwhere amount >= 10\n',
    );

    await writeCompiled(compiled, path.join(workDir, 'target'));
    const written = readFileSync(
      path.join(workDir, 'target/compiled/models/marts/customer_value.sql'),
      'utf8',
    );
    expect(written).toContain('from "analytics"."stg_customers" c');
    const manifest = JSON.parse(readFileSync(path.join(workDir, 'target/manifest.json'), 'utf8'));
    expect(manifest.project).toBe('shop_fixture');
    expect(manifest.nodes['model.customer_value'].materialized).toBe('table');
  });
});
