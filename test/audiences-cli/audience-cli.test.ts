import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectOrThrow } from '../../src/config/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { jsonLines, runWeft, tempDir } from '../cli/run-weft.js';
import { MEMBERS, recordBuild } from './fixture.js';

/** A project with the fixture's three audiences (sql audiences), plus `later`, never built. */
function writeAudienceProject(): string {
  const dir = tempDir('weft-audience-cli-');
  fs.writeFileSync(path.join(dir, 'weft.yml'), 'name: t\nwarehouse:\n  type: duckdb\n  path: w.duckdb\n');
  fs.mkdirSync(path.join(dir, 'models/audiences'), { recursive: true });
  for (const name of [...Object.keys(MEMBERS), 'later']) {
    fs.writeFileSync(
      path.join(dir, `models/audiences/${name}.yml`),
      `name: ${name}\ndescription: The ${name} people\nsql: select profile_id from weft.profiles\n`,
    );
  }
  return dir;
}

describe('weft audience', () => {
  let dir: string;
  beforeAll(async () => {
    dir = writeAudienceProject();
    const project = await loadProjectOrThrow(dir, { env: {} });
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
    try {
      await warehouse.execute(`CREATE SCHEMA weft;
CREATE TABLE weft.profiles AS SELECT * FROM (VALUES
  ('p1', 'ann@x.com', 900.0), ('p2', 'bob@x.com', 650.5), ('p3', 'cy@x.com', 520.0),
  ('p4', 'dee@x.com', 10.0), ('p5', NULL, 0.0), ('p6', 'fay@x.com', 75.0)
) AS t(profile_id, email, lifetime_value)`);
      await recordBuild(warehouse, project, new Date('2025-06-01T08:30:00Z'));
    } finally {
      await warehouse.close();
    }
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('list prints every audience with its size, last change and description', async () => {
    const res = await runWeft(['audience', 'list', '--project', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/audience\s+size\s+last change\s+description/);
    expect(res.stdout).toMatch(/recent\s+4\s+2025-06-01 08:30\s+The recent people/);
    expect(res.stdout).toMatch(/later\s+-\s+-\s+The later people/);
    expect(res.stdout).toContain('run `weft build`');
  });

  it('list --json: one object per audience, nothing else on stdout', async () => {
    const res = await runWeft(['audience', 'list', '--project', dir, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(jsonLines(res.stdout)).toEqual([
      expect.objectContaining({ name: 'lapsed', size: 1 }),
      {
        name: 'later',
        description: 'The later people',
        path: 'models/audiences/later.yml',
        size: null,
        built_at: null,
        changed_at: null,
      },
      expect.objectContaining({ name: 'recent', size: 4, changed_at: '2025-06-01T08:30:00.000Z' }),
      expect.objectContaining({ name: 'vip', size: 3 }),
    ]);
  });

  it('preview prints size, a sample with its columns and the overlaps', async () => {
    const res = await runWeft(['audience', 'preview', 'vip', '--limit', '2', '--project', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^audience vip — The vip people\nsize 3\n/);
    expect(res.stdout).toMatch(/sample \(2 of 3\)\n\s+profile_id\s+email\s+lifetime_value\n/);
    expect(res.stdout).toMatch(/p1\s+ann@x\.com\s+900/);
    expect(res.stdout).not.toContain('cy@x.com');
    expect(res.stdout).toMatch(/recent\s+4\s+2\s+66\.7%/);
    expect(res.stdout).toMatch(/lapsed\s+1\s+0\s+0\.0%/);
    expect(res.stdout).toContain('not built yet (run `weft build`): later');
    expect(res.stdout).toContain(
      'as of the build at 2025-06-01 08:30 (audience_members; rebuild to refresh)',
    );
  });

  it('preview --json: one object with size, sample and overlaps', async () => {
    const res = await runWeft(['audience', 'preview', 'recent', '--project', dir, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const [out] = jsonLines(res.stdout) as Array<Record<string, unknown>>;
    expect(out).toMatchObject({
      name: 'recent',
      size: 4,
      columns: ['profile_id', 'email', 'lifetime_value'],
      overlaps: [
        { audience: 'vip', size: 3, overlap: 2 },
        { audience: 'lapsed', size: 1, overlap: 0 },
      ],
      not_built: ['later'],
      source: 'members',
      built_at: '2025-06-01T08:30:00.000Z',
    });
    expect(out?.sample).toHaveLength(4);
  });

  it('an unknown audience is bad usage (exit 2) with a did-you-mean', async () => {
    const res = await runWeft(['audience', 'preview', 'recnt', '--project', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown audience 'recnt' (did you mean 'recent'?)");
  });

  it('an audience not built yet: exit 1 telling to run weft build', async () => {
    const res = await runWeft(['audience', 'preview', 'later', '--project', dir, '--json']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(''); // --json, stderr not a terminal: the JSON says it
    expect(jsonLines(res.stdout)).toEqual([
      expect.objectContaining({ error: 'not_built', audience: 'later' }),
    ]);
  });

  it('--help teaches with examples', async () => {
    const res = await runWeft(['audience', 'preview', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Examples:');
    expect(res.stdout).toContain('weft audience preview high_value_recent');
    expect(res.stdout).toContain('audience_members');
  });
});

describe('weft validate on a broken audience', () => {
  it('names the file line and the closest trait', async () => {
    const dir = tempDir('weft-audience-validate-');
    try {
      fs.writeFileSync(path.join(dir, 'weft.yml'), 'name: t\n');
      fs.mkdirSync(path.join(dir, 'models/audiences'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'models/sources.yml'),
        'sources:\n  shop: { schema: raw, tables: [orders] }\n',
      );
      fs.writeFileSync(
        path.join(dir, 'models/identity.yml'),
        'identity:\n  id_types: { user_id: {} }\n  sources:\n    - from: shop.orders\n      ids: { user_id: customer_id }\n',
      );
      fs.writeFileSync(
        path.join(dir, 'models/profiles.yml'),
        'profiles:\n  traits:\n    lifetime_value: { from: shop.orders, expr: "sum(amount)" }\n',
      );
      fs.writeFileSync(
        path.join(dir, 'models/audiences/vip.yml'),
        'name: vip\nwhere:\n  all:\n    - { trait: lifetime_valu, op: gte, value: 500 }\n',
      );
      const res = await runWeft(['validate', '--project', dir]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(
        "models/audiences/vip.yml:4:16  where.all[0].trait: unknown trait 'lifetime_valu': not in models/profiles.yml (did you mean 'lifetime_value'?)",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
