/** `weft dbt exposures`: one dbt exposure per sync, with the dbt models it reads through weft's lineage. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { spawnWeft } from '../sync/cli-project.js';
import { createDbtProject, write } from './dbt-weft-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const golden = path.resolve(import.meta.dirname, 'golden/weft_exposures.yml');

describe('weft dbt exposures', () => {
  let dir = '';
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the exposures of every sync into the dbt project (exactly the golden file)', async () => {
    dir = createDbtProject();
    const run = await weft(['dbt', 'exposures'], dir);
    expect(run.code, run.stderr).toBe(0);
    const file = path.join(dir, 'dbt/models/weft_exposures.yml');
    expect(run.stdout).toBe(`✓ 4 exposures written to ${file}\n`);
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(golden, 'utf8'));
  });

  it('is valid dbt: version 2, application exposures with an owner, every ref a manifest node', async () => {
    dir = createDbtProject();
    expect((await weft(['dbt', 'exposures'], dir)).code).toBe(0);
    const doc = parse(fs.readFileSync(path.join(dir, 'dbt/models/weft_exposures.yml'), 'utf8'));
    expect(doc.version).toBe(2);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'dbt/target/manifest.json'), 'utf8'));
    const nodeNames = new Set(
      Object.values(manifest.nodes as Record<string, { name: string; resource_type: string }>)
        .filter((n) => n.resource_type !== 'test')
        .map((n) => n.name),
    );
    const refs: string[] = [];
    for (const exposure of doc.exposures) {
      expect(exposure.name).toMatch(/^[A-Za-z0-9_]+$/);
      expect(exposure.type).toBe('application');
      expect(exposure.owner.name ?? exposure.owner.email).toBeTruthy();
      for (const dep of exposure.depends_on ?? []) {
        const ref = /^ref\('([A-Za-z0-9_]+)'\)$/.exec(dep)?.[1];
        expect(ref, dep).toBeDefined();
        refs.push(ref!);
      }
    }
    expect(refs.length).toBe(5);
    for (const ref of refs) expect(nodeNames.has(ref), ref).toBe(true);
  });

  it('takes the owner from weft.yml dbt.owner and writes where --out says; --json lists them', async () => {
    dir = createDbtProject();
    const weftYml = fs.readFileSync(path.join(dir, 'weft.yml'), 'utf8');
    write(
      dir,
      'weft.yml',
      weftYml.replace(
        '  project_dir: dbt\n',
        '  project_dir: dbt\n  owner: { name: Data team, email: data@jaffle.shop }\n',
      ),
    );
    const out = path.join(dir, 'elsewhere/exposures.yml');
    const run = await weft(['dbt', 'exposures', '--out', out, '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      file: out,
      exposures: [
        { name: 'weft_customers_hook', depends_on: ["ref('customers')"] },
        { name: 'weft_high_value_hook', depends_on: ["ref('customers')", "ref('orders')"] },
        { name: 'weft_spenders_hook', depends_on: ["ref('customers')"] },
        { name: 'weft_staged_hook', depends_on: ["ref('stg_customers')"] },
      ],
    });
    const doc = parse(fs.readFileSync(out, 'utf8'));
    expect(doc.exposures[0].owner).toEqual({ name: 'Data team', email: 'data@jaffle.shop' });
  });
});
