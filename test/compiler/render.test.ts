import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { CompileError } from '../../src/compiler/errors.js';
import { duckdbDialect } from '../../src/warehouse/duckdb/dialect.js';
import { makeProject } from './project-fixture.js';

function compileError(run: () => unknown): CompileError {
  try {
    run();
  } catch (error) {
    if (error instanceof CompileError) return error;
    throw error;
  }
  throw new Error('expected a CompileError');
}

function sqlOf(
  project: ReturnType<typeof makeProject>,
  name: string,
  vars?: Record<string, unknown>,
): string {
  const compiled = compileProject(project, duckdbDialect, { vars });
  return compiled.models.find((m) => m.name === name)!.sql;
}

describe('model rendering', () => {
  it('resolves ref to the model relation, honouring a per-model schema', () => {
    const project = makeProject({
      base: { sql: 'select 1 as id' },
      marts: { sql: 'select 2 as id', schema: 'marts' },
      top: { sql: "select * from {{ref 'base'}} join {{ref 'marts'}} using (id)" },
    });
    expect(sqlOf(project, 'top')).toBe('select * from "weft"."base" join "marts"."marts" using (id)\n');
  });

  it('resolves source to the declared schema and identifier', () => {
    const project = makeProject({ orders: { sql: "select * from {{source 'shop' 'orders'}}" } });
    expect(sqlOf(project, 'orders')).toBe('select * from "raw"."shop_orders"\n');
  });

  it('renders vars from the project, with overrides and defaults', () => {
    const project = makeProject(
      { m: { sql: "select {{var 'limit'}} as l, '{{var 'region' 'eu'}}' as r, {{var 'flag'}} as f" } },
      { vars: { limit: 10, flag: true } },
    );
    expect(sqlOf(project, 'm')).toBe("select 10 as l, 'eu' as r, true as f\n");
    expect(sqlOf(project, 'm', { limit: 99, region: 'us' })).toBe("select 99 as l, 'us' as r, true as f\n");
  });

  it('strips the leading config block and renders this / is_incremental', () => {
    const project = makeProject({
      events: {
        materialized: 'incremental',
        sql: "/* config:\n  materialized: incremental\n*/\nselect * from {{source 'shop' 'orders'}}\n{{#if is_incremental}}where ts > (select max(ts) from {{this}}){{/if}};\n",
      },
    });
    expect(sqlOf(project, 'events')).toBe('select * from "raw"."shop_orders"\n');
  });

  it('records refs and sources as dependencies, deduplicated and sorted', () => {
    const project = makeProject({
      a: { sql: 'select 1 as id' },
      b: { sql: 'select 1 as id' },
      c: {
        sql: "select * from {{ref 'b'}}, {{ref 'a'}}, {{ref 'b'}}, {{source 'shop' 'orders'}}, {{source 'shop' 'customers'}}",
      },
    });
    const c = compileProject(project, duckdbDialect).models.find((m) => m.name === 'c')!;
    expect(c.depends_on).toEqual({ models: ['a', 'b'], sources: ['shop.customers', 'shop.orders'] });
  });

  it('counts refs inside {{#if is_incremental}} as dependencies of incremental models only', () => {
    const sql = "select 1 as id {{#if is_incremental}}from {{ref 'a'}}{{/if}}";
    const project = makeProject({
      a: { sql: 'select 1 as id' },
      inc: { sql, materialized: 'incremental' },
      tbl: { sql, materialized: 'table' },
    });
    const models = compileProject(project, duckdbDialect).models;
    expect(models.find((m) => m.name === 'inc')!.depends_on.models).toEqual(['a']);
    expect(models.find((m) => m.name === 'inc')!.sql).toBe('select 1 as id\n');
    expect(models.find((m) => m.name === 'tbl')!.depends_on.models).toEqual([]);
  });
});

describe('rendering errors name the model file', () => {
  it('unknown ref, with a suggestion', () => {
    const project = makeProject({
      stg_food: { sql: 'select 1', path: 'models/staging/stg_food.sql' },
      x: { sql: "select * from {{ref 'stg_foo'}}", path: 'models/staging/x.sql' },
    });
    const error = compileError(() => compileProject(project, duckdbDialect));
    expect(error.message).toBe(
      "models/staging/x.sql: ref 'stg_foo' is not a model (did you mean 'stg_food'?)",
    );
  });

  it('ref to a disabled model', () => {
    const project = makeProject({
      off: { sql: 'select 1', enabled: false },
      x: { sql: "select * from {{ref 'off'}}" },
    });
    expect(compileError(() => compileProject(project, duckdbDialect)).message).toBe(
      "models/x.sql: ref 'off' is disabled (enabled: false)",
    );
  });

  it('unknown source and unknown source table', () => {
    const project = makeProject({
      a: { sql: "select * from {{source 'shoop' 'orders'}}" },
      b: { sql: "select * from {{source 'shop' 'order'}}" },
    });
    const error = compileError(() => compileProject(project, duckdbDialect));
    expect(error.issues.map((i) => `${i.file}: ${i.message}`)).toEqual([
      "models/a.sql: source 'shoop' is not declared in models/sources.yml (did you mean 'shop'?)",
      "models/b.sql: source 'shop' has no table 'order' (did you mean 'orders'?)",
    ]);
  });

  it('unknown var without default', () => {
    const project = makeProject(
      { m: { sql: "select {{var 'start_dat'}}" } },
      { vars: { start_date: '2024-01-01' } },
    );
    expect(compileError(() => compileProject(project, duckdbDialect)).message).toBe(
      "models/m.sql: var 'start_dat' is not set in weft.yml vars and has no default (did you mean 'start_date'?)",
    );
  });

  it('helpers called without quoted names', () => {
    const project = makeProject({ m: { sql: 'select * from {{ref}}' } });
    expect(compileError(() => compileProject(project, duckdbDialect)).message).toContain(
      'models/m.sql: {{ref}} takes 1 quoted argument(s), got 0',
    );
  });

  it('handlebars syntax errors carry the line of the original file (config block included)', () => {
    const project = makeProject({
      m: { sql: "/* config: { materialized: view } */\nselect 1\nfrom {{ref 'a'}\n" },
    });
    const error = compileError(() => compileProject(project, duckdbDialect));
    expect(error.issues[0]).toMatchObject({ file: 'models/m.sql', line: 3 });
    expect(error.message).toMatch(/^models\/m\.sql:3: template syntax error:/);
  });

  it('unknown helpers and names', () => {
    const project = makeProject({
      a: { sql: "select 1\nfrom {{reff 'x'}}" },
      b: { sql: 'select {{colum}}' },
    });
    const error = compileError(() => compileProject(project, duckdbDialect));
    expect(error.issues).toEqual([
      {
        file: 'models/a.sql',
        line: 2,
        message: "unknown helper 'reff' (known: ref, source, var, this, is_incremental)",
      },
      {
        file: 'models/b.sql',
        line: 1,
        message: "'{{colum}}' is not defined (known: ref, source, var, this, is_incremental)",
      },
    ]);
  });

  it('lists problems from every model at once', () => {
    const project = makeProject({
      a: { sql: "{{ref 'nope'}}" },
      b: { sql: "{{var 'nope'}} {{ref 'nada'}}" },
    });
    expect(compileError(() => compileProject(project, duckdbDialect)).issues).toHaveLength(3);
  });
});
