/** The files `weft init` writes: a minimal project that validates and builds on DuckDB. */

/** Relative path → file contents. `{{name}}` is replaced by the project name. */
export const scaffoldFiles: Record<string, string> = {
  'weft.yml': `# weft project: https://github.com/weft-cdp/weft
name: {{name}}
schema: weft                 # where models and outputs are written
state_schema: weft_state     # sync snapshots, runs, rejections
warehouse:
  type: duckdb               # duckdb | postgres | bigquery | snowflake
  path: .weft/warehouse.duckdb
vars: {}
connections: {}
# connections:
#   hubspot_main:
#     type: hubspot
#     token: "{{env 'HUBSPOT_TOKEN'}}"
`,
  'models/sources.yml': `# Raw tables loaded by your pipelines (Fivetran, Airbyte, dlt, a COPY…).
# Refer to one in a model as {{source 'shop' 'customers'}}.
sources:
  shop:
    schema: raw
    tables: [customers]
`,
  'models/staging/stg_shop_customers.sql': `/* config:
  materialized: view
*/
-- One model per file; its name is the file name. Build on other models with the ref helper.
select
  cast(customer_id as varchar) as customer_id,
  lower(trim(email)) as email,
  trim(first_name) as first_name,
  trim(last_name) as last_name
from {{source 'shop' 'customers'}}
`,
  'syncs/.gitkeep': '',
  '.gitignore': `.weft/
target/
`,
  'README.md': `# {{name}}

A [weft](https://github.com/weft-cdp/weft) project.

    weft validate     # check every file
    weft build        # run models in the warehouse
    weft compile      # see the SQL in target/compiled
`,
};
