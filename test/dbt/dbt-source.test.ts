/** weft.yml `dbt:`: the manifest's models as the source `dbt`, and what validation says about them. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatIssue, loadProject } from '../../src/config/project.js';
import { resolveFrom } from '../../src/identity/relations.js';
import { sourceRelation } from '../../src/sync/resolve.js';
import { createDbtProject, write } from './dbt-weft-project.js';

describe('dbt models as the source dbt', () => {
  let dir = '';
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('resolves dbt.<model> to the schema and alias dbt built it in', async () => {
    dir = createDbtProject();
    const { project, issues } = await loadProject(dir);
    expect(issues).toEqual([]);
    const dbt = project!.sources.find((s) => s.name === 'dbt')!;
    expect(dbt.tables.map((t) => [t.name, t.schema, t.identifier])).toEqual([
      ['customers', 'analytics', 'customers'],
      ['orders', 'analytics', 'orders'],
      ['raw_customers', 'analytics', 'raw_customers'],
      ['raw_orders', 'analytics', 'raw_orders'],
      ['stg_customers', 'analytics_staging', 'stg_customers'],
      ['stg_orders', 'analytics_staging', 'stg_orders'],
    ]);
    expect(resolveFrom(project!, 'dbt.stg_customers')).toEqual({
      schema: 'analytics_staging',
      name: 'stg_customers',
    });
    expect(sourceRelation(project!, 'dbt.customers')).toEqual({ schema: 'analytics', name: 'customers' });
  });

  it('follows an alias: the relation is the alias, the name stays the model name', async () => {
    dir = createDbtProject();
    const file = path.join(dir, 'dbt/target/manifest.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    manifest.nodes['model.jaffle_shop.customers'].alias = 'dim_customer_v2';
    fs.writeFileSync(file, JSON.stringify(manifest));
    const { project } = await loadProject(dir);
    expect(sourceRelation(project!, 'dbt.customers')).toEqual({
      schema: 'analytics',
      name: 'dim_customer_v2',
    });
  });

  it('a renamed dbt model fails validation at the sync, naming the closest model', async () => {
    dir = createDbtProject();
    const file = path.join(dir, 'dbt/target/manifest.json');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      text.replaceAll('"customers"', '"dim_customers"').replaceAll('.customers"', '.dim_customers"'),
    );
    const { project, issues } = await loadProject(dir);
    expect(project).toBeUndefined();
    const lines = issues.map(formatIssue);
    expect(lines).toContain(
      "syncs/customers_hook.yml:2:7  from: unknown dbt model 'customers': not in dbt/target/manifest.json (did you mean 'dbt.dim_customers'?)",
    );
    expect(lines).toContain(
      "models/identity.yml:6:13  identity.sources[0].from: unknown dbt model 'customers': not in dbt/target/manifest.json (did you mean 'dbt.dim_customers'?)",
    );
  });

  it('a sync key or mapping that is not a column of the dbt model (catalog.json) is a problem', async () => {
    dir = createDbtProject();
    write(
      dir,
      'syncs/customers_hook.yml',
      'name: customers_hook\nfrom: dbt.customers\nconnection: hook\nkey: emial\nmappings:\n  email: email\n  name: frist_name\n  ltv: "{{round lifetime_value 2}}"\n',
    );
    const { issues } = await loadProject(dir);
    expect(issues.map(formatIssue)).toEqual([
      "syncs/customers_hook.yml:4:6  key: dbt model 'customers' has no column 'emial' (did you mean 'email'?)",
      "syncs/customers_hook.yml:7:9  mappings.name: dbt model 'customers' has no column 'frist_name' (did you mean 'first_name'?)",
    ]);
  });

  it('identity ids and trait columns that the dbt model lacks are problems at their line', async () => {
    dir = createDbtProject();
    write(
      dir,
      'models/identity.yml',
      'identity:\n  id_types:\n    customer_id: {}\n    email: {}\n  sources:\n    - from: dbt.customers\n      key: customer_id\n      ids: { customer_id: customer_id, email: e_mail }\n',
    );
    write(
      dir,
      'models/profiles.yml',
      'profiles:\n  traits:\n    lifetime_value: { from: dbt.orders, expr: "sum(amount)" }\n    email: { from: dbt.customers, column: email, pick: most_frequent }\n    name: { from: dbt.customers, column: firstname, pick: most_frequent }\n',
    );
    const { issues } = await loadProject(dir);
    expect(issues.map(formatIssue)).toEqual([
      "models/identity.yml:8:47  identity.sources[0].ids.email: dbt model 'customers' has no column 'e_mail' (did you mean 'email'?)",
      "models/profiles.yml:5:42  profiles.traits.name.column: dbt model 'customers' has no column 'firstname' (did you mean 'first_name'?)",
    ]);
  });

  it('a missing manifest is an error on weft.yml dbt: that says to run dbt', async () => {
    dir = createDbtProject();
    fs.rmSync(path.join(dir, 'dbt/target/manifest.json'));
    const { issues } = await loadProject(dir);
    expect(issues.map(formatIssue)).toEqual([
      'weft.yml:5:1  dbt: cannot read dbt manifest dbt/target/manifest.json (no such file): run `dbt parse` (or `dbt compile` / `dbt build`) in dbt to write it, or fix dbt.project_dir / dbt.manifest',
    ]);
  });

  it('an unreadable manifest names the file and the JSON error', async () => {
    dir = createDbtProject();
    fs.writeFileSync(path.join(dir, 'dbt/target/manifest.json'), '{"nodes": ');
    const { issues } = await loadProject(dir);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.file).toBe('weft.yml');
    expect(issues[0]!.message).toMatch(
      /^dbt manifest dbt\/target\/manifest.json is not valid JSON: .*run `dbt parse`/,
    );
  });

  it("a sources.yml source named dbt clashes with weft.yml's dbt:", async () => {
    dir = createDbtProject();
    write(dir, 'models/sources.yml', 'sources:\n  dbt:\n    schema: x\n    tables: [customers]\n');
    const { issues } = await loadProject(dir);
    expect(issues.map((i) => i.message)).toContain("source 'dbt' is reserved for weft.yml's dbt: project");
  });
});
