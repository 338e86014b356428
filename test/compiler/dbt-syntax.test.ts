/** dbt's Jinja in weft models: what is rewritten to handlebars, and what is a clear error. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject, renderScopeFor } from '../../src/compiler/compile.js';
import { translateDbtSyntax } from '../../src/compiler/dbt-syntax.js';
import { CompileError } from '../../src/compiler/errors.js';
import { renderModel } from '../../src/compiler/render.js';
import { formatIssue, loadProject } from '../../src/config/project.js';
import { duckdbDialect } from '../../src/warehouse/duckdb/dialect.js';
import { makeProject } from './project-fixture.js';

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CompileError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a CompileError');
}

const sqlOf = (project: ReturnType<typeof makeProject>, name: string) =>
  compileProject(project, duckdbDialect).models.find((m) => m.name === name)!.sql;

describe('dbt syntax in weft models', () => {
  it('renders ref, source, var (with defaults) and this like their handlebars forms', () => {
    const project = makeProject(
      {
        base: { sql: 'select 1 as id' },
        m: {
          sql: `{# a dbt comment,
   over two lines #}
select * from {{ ref('base') }} b
join {{ source("shop", 'orders') }} o using (id)
where o.n < {{ var('limit') }} and region = '{{ var('region', 'eu') }}' and k > {{var("k", 5)}}
  and {{-ref('base')-}}.id is not null
-- self: {{ this }}`,
        },
      },
      { vars: { limit: 10 } },
    );
    expect(sqlOf(project, 'm')).toBe(
      `select * from "weft"."base" b
join "raw"."shop_orders" o using (id)
where o.n < 10 and region = 'eu' and k > 5
  and "weft"."base".id is not null
-- self: "weft"."m"
`,
    );
    const m = compileProject(project, duckdbDialect).models.find((x) => x.name === 'm')!;
    expect(m.depends_on).toEqual({ models: ['base'], sources: ['shop.orders'] });
  });

  it('{% if is_incremental() %} … {% else %} … {% endif %} follows the incremental run', () => {
    const project = makeProject({
      events: {
        materialized: 'incremental',
        sql: "select * from {{ source('shop', 'orders') }}\n{% if is_incremental() %}\nwhere ts > (select max(ts) from {{ this }})\n{%- else -%}\nwhere ts > '2020-01-01'\n{% endif %}",
      },
    });
    const scope = renderScopeFor(project, duckdbDialect);
    const model = project.models[0]!;
    expect(renderModel(model, scope, { isIncremental: false }).sql).toBe(
      `select * from "raw"."shop_orders"\nwhere ts > '2020-01-01'\n`,
    );
    expect(renderModel(model, scope, { isIncremental: true }).sql).toBe(
      `select * from "raw"."shop_orders"\nwhere ts > (select max(ts) from "weft"."events")\n`,
    );
  });

  it('leaves handlebars untouched, comments included', () => {
    const sql =
      "{{!-- {% for x in y %} --}}select {{ref 'a'}} {{#if is_incremental}}x{{else}}y{{/if}} {{this}}";
    expect(translateDbtSyntax(sql, 'models/m.sql')).toEqual({ sql, issues: [] });
  });

  it('anything else Jinja is an error with file:line and the handlebars way (never a parse error)', () => {
    const project = makeProject({
      m: {
        sql: `select
  {{ dbt_utils.star(ref('base')) }},
  {{ env_var('REGION') }}
{% for c in ['a', 'b'] %} {{ c }} {% endfor %}
{% set cutoff = '2024-01-01' %}
{% macro cents(x) %}{{ x }} * 100{% endmacro %}
{% if target.name == 'prod' %} where 1 = 1 {% endif %}
{{ is_incremental() }}
{{ ref('base') | upper }}`,
      },
    });
    expect(issuesOf(() => compileProject(project, duckdbDialect))).toEqual([
      "models/m.sql:2: weft does not support {{ dbt_utils.star(ref('base')) }}: weft does not run dbt macros or Jinja expressions: weft understands ref(), source(), var(), this, config(); or write {{ref 'model'}}, {{source 'src' 'table'}}, {{var 'name'}}",
      "models/m.sql:3: weft does not support {{ env_var('REGION') }}: models cannot read the environment: set a weft.yml var from {{env 'NAME'}} and use {{var 'name'}}",
      "models/m.sql:4: weft does not support {% for c in ['a', 'b'] %}: weft models have no loops: write the SQL out (or generate it before weft)",
      'models/m.sql:4: weft does not support {% endfor %}: weft models accept only the dbt syntax listed in docs; use handlebars',
      "models/m.sql:5: weft does not support {% set cutoff = '2024-01-01' %}: weft models have no variables of their own: put the value in weft.yml vars and use {{var 'name'}}",
      'models/m.sql:6: weft does not support {% macro cents(x) %}: weft does not run dbt macros: write the SQL out in the model',
      'models/m.sql:6: weft does not support {% endmacro %}: weft models accept only the dbt syntax listed in docs; use handlebars',
      "models/m.sql:7: weft does not support {% if target.name == 'prod' %}: only {% if is_incremental() %} is supported, written {{#if is_incremental}} … {{/if}} in handlebars",
      'models/m.sql:7: {% endif %} without {% if is_incremental() %}',
      'models/m.sql:8: use {% if is_incremental() %} … {% endif %} (or {{#if is_incremental}} … {{/if}})',
      "models/m.sql:9: weft does not support {{ ref('base') | upper }}: weft does not run dbt macros or Jinja expressions: weft understands ref(), source(), var(), this, config(); or write {{ref 'model'}}, {{source 'src' 'table'}}, {{var 'name'}}",
    ]);
  });

  it('an unclosed {% if is_incremental() %} or {% is an error at its line', () => {
    expect(translateDbtSyntax('select 1\n{% if is_incremental() %}\nwhere x', 'models/m.sql').issues).toEqual(
      [
        {
          file: 'models/m.sql',
          line: 2,
          message: '{% if is_incremental() %} is never closed with {% endif %}',
        },
      ],
    );
    expect(translateDbtSyntax('select 1\n\n{% if', 'models/m.sql').issues).toEqual([
      { file: 'models/m.sql', line: 3, message: "'{%' is never closed with '%}'" },
    ]);
  });

  it("{{ config(...) }} sets the model's config; unsupported values are config errors at its line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-dbt-syntax-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'weft.yml'),
        'name: p\nwarehouse:\n  type: duckdb\n  path: ":memory:"\n',
      );
      fs.mkdirSync(path.join(dir, 'models'));
      fs.writeFileSync(
        path.join(dir, 'models/events.sql'),
        "{{\n  config(materialized='incremental', unique_key=['id', 'day'], schema='marts', tags=['daily'], on_schema_change='append_new_columns')\n}}\nselect 1 as id, 2 as day\n{% if is_incremental() %}where day > (select max(day) from {{ this }}){% endif %}\n",
      );
      const { project, issues } = await loadProject(dir);
      expect(issues).toEqual([]);
      expect(project!.models[0]!.config).toEqual({
        materialized: 'incremental',
        unique_key: ['id', 'day'],
        schema: 'marts',
        tags: ['daily'],
        enabled: true,
      });
      const compiled = compileProject(project!, duckdbDialect).models[0]!;
      expect(compiled.sql).toBe('select 1 as id, 2 as day\n');
      expect(compiled.unique_key).toEqual(['id', 'day']);

      fs.writeFileSync(
        path.join(dir, 'models/eph.sql'),
        "select 1\n{{ config(materialized='ephemeral') }}\n",
      );
      const bad = await loadProject(dir);
      expect(bad.issues.map(formatIssue)).toEqual([
        "models/eph.sql:2  {{ config() }}: materialized='ephemeral' is not supported: weft builds view, table or incremental models",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
