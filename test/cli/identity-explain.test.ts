/** `weft identity explain` end to end through the compiled CLI, on hand-made identity tables. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { createExplainTables } from '../identity-quality/explain-fixture.js';
import { jsonLines, runWeft, tempDir } from './run-weft.js';

let dir: string;

beforeAll(async () => {
  dir = tempDir('weft-explain-');
  fs.mkdirSync(path.join(dir, 'models'));
  fs.writeFileSync(
    path.join(dir, 'weft.yml'),
    'name: explain\nschema: weft\nwarehouse:\n  type: duckdb\n  path: w.duckdb\n',
  );
  fs.writeFileSync(
    path.join(dir, 'models/sources.yml'),
    'sources:\n  shop:\n    schema: raw\n    tables: [customers]\n',
  );
  fs.writeFileSync(
    path.join(dir, 'models/identity.yml'),
    `identity:
  id_types:
    user_id: { max_per_profile: 1 }
    email: { normalize: email }
    phone: { normalize: phone }
    anonymous_id: {}
  sources:
    - from: shop.customers
      ids: { user_id: customer_id, email: email }
`,
  );
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: path.join(dir, 'w.duckdb') },
    { projectDir: dir },
  );
  try {
    await createExplainTables(warehouse);
  } finally {
    await warehouse.close();
  }
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('weft identity explain', () => {
  it('prints the evidence path hop by hop', async () => {
    const run = await runWeft([
      'identity',
      'explain',
      'email:ann@x.com',
      'phone:+14155550100',
      '--project',
      dir,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ email:ann@x.com and phone:+14155550100: linked in profile P1 by 2 hops');
    expect(run.stdout).toContain('1. email:ann@x.com — user_id:u1');
    expect(run.stdout).toContain('stg_shop_customers row c1, seen 2024-01-01 → 2024-03-01, 1 row');
  });

  it('gives one JSON object with --json, naming the hub edge when not linked', async () => {
    const run = await runWeft([
      'identity',
      'explain',
      'email:ann@x.com',
      'user_id:u2',
      '--json',
      '--project',
      dir,
    ]);
    expect(run.code).toBe(0);
    const [result, ...rest] = jsonLines(run.stdout) as Array<Record<string, unknown>>;
    expect(rest).toEqual([]);
    expect(result).toMatchObject({
      linked: false,
      reason: 'unused_edge',
      a: { status: 'used', profile_id: 'P1' },
    });
    expect(result?.path).toHaveLength(3);
  });

  it('says why a blocked value links nothing', async () => {
    const run = await runWeft(['identity', 'explain', 'email:TEST@test.com', 'user_id:u1', '--project', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('is not used for matching (blocklist)');
  });

  it('exits 2 on a malformed identifier or an unknown id type', async () => {
    const bad = await runWeft(['identity', 'explain', 'ann', 'user_id:u1', '--project', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('write TYPE:VALUE');
    const unknown = await runWeft(['identity', 'explain', 'fax:1', 'user_id:u1', '--project', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown id type 'fax'");
  });
});
