/**
 * The files `weft init` writes: a complete small project that builds and syncs out of the box on
 * DuckDB. Two bundled CSV files (customers and orders) are read in place as file sources; identity
 * joins them into people, profiles.yml gives each person traits, one audience picks the big
 * spenders and one sync sends them to the webhook of `weft sandbox`. Replace the CSVs with your
 * own exports (or declare your warehouse's tables) and keep the rest.
 */
import { scaffoldData } from './data.js';

/** Relative path → file contents. `{{name}}` is replaced by the project name. */
export const scaffoldFiles: Record<string, string> = {
  'weft.yml': `# weft project: docs in the weft README and docs/.
name: {{name}}
schema: weft                     # where models and outputs are written
state_schema: weft_state         # snapshots, runs, rejections, journals
warehouse:
  type: duckdb                   # duckdb | postgres | bigquery | snowflake
  path: .weft/warehouse.duckdb   # WEFT_WAREHOUSE_URL (e.g. postgres://…) overrides this block
vars: {}
connections:
  # The webhook receiver of \`weft sandbox\` (port 4410): run it in another terminal, then \`weft sync --all\`.
  sandbox_webhook:
    type: webhook
    url: "{{env 'WEFT_SANDBOX_WEBHOOK_URL' 'http://127.0.0.1:4410'}}/hooks/weft"
    secret: "{{env 'WEFT_WEBHOOK_SECRET' 'weft-sandbox-secret'}}"
  # A real destination takes its secrets from the environment, never from this file:
  # hubspot_main:
  #   type: hubspot
  #   access_token: "{{env 'HUBSPOT_TOKEN'}}"   # \`token:\` is accepted as an alias
  #   base_url: "{{env 'HUBSPOT_BASE_URL' 'https://api.hubapi.com'}}"
`,
  'models/sources.yml': `# Raw tables: here two CSV files read in place (file sources); a table your pipelines load
# (Fivetran, Airbyte, dlt, a COPY…) is just its name, e.g. \`tables: [customers]\`.
# A source table is named shop.customers in YAML and {{source 'shop' 'customers'}} in SQL.
sources:
  shop:
    schema: raw
    tables:
      - name: customers
        files: data/customers.csv
      - name: orders
        files: data/orders.csv
`,
  'models/staging/stg_shop_customers.sql': `/* config:
  materialized: view
*/
-- One model per file; its name is the file name. Build on other models with the ref helper.
select
  cast(customer_id as varchar) as customer_id,
  lower(trim(email)) as email,
  trim(first_name) as first_name,
  trim(last_name) as last_name,
  cast(updated_at as timestamp) as updated_at
from {{source 'shop' 'customers'}}
`,
  'models/staging/stg_shop_orders.sql': `/* config:
  materialized: view
*/
select
  cast(order_id as varchar) as order_id,
  cast(customer_id as varchar) as customer_id,
  cast(amount as decimal(12, 2)) as amount,
  cast(created_at as timestamp) as created_at
from {{source 'shop' 'orders'}}
`,
  'models/identity.yml': `# Identity resolution: which columns of which models identify a person. \`weft build\` writes
# identity_map (identifier → profile_id), identity_edges and profile_merges into the schema.
identity:
  id_types:                          # listed in priority order, highest first
    customer_id: { max_per_profile: 2 }   # 2: a person may open a second account
    email:       { normalize: email, max_per_profile: 3 }
  blocklist:                         # exact values or globs, after normalization
    email: ["test@test.com", "*@example.com"]
  sources:                           # \`from\` is a model name or source.table
    - from: stg_shop_customers
      key: customer_id
      ids: { customer_id: customer_id, email: email }
      timestamp: updated_at
    - from: stg_shop_orders          # ties each order to its buyer
      key: order_id
      ids: { customer_id: customer_id }
      timestamp: created_at
`,
  'models/profiles.yml': `# Traits computed per profile (one row per person in \`profiles\`) from the identity sources.
# pick: most_recent | first | most_frequent | source_priority; expr: an aggregate.
profiles:
  traits:
    email:          { from: stg_shop_customers, column: email, pick: most_recent, order_by: updated_at }
    first_name:     { from: stg_shop_customers, column: first_name, pick: most_recent, order_by: updated_at }
    lifetime_value: { from: stg_shop_orders, expr: "sum(amount)" }
    order_count:    { from: stg_shop_orders, expr: "count(*)" }
`,
  'models/audiences/big_spenders.yml': `# An audience: a condition tree over traits (and events, other audiences…), built into the
# view audience_big_spenders with profile_id and \`columns\`.
name: big_spenders
description: People who spent 100 or more, and whom we can email.
where:
  all:
    - { trait: lifetime_value, op: gte, value: 100 }
    - { trait: email, op: is_not_null }
columns: [email, first_name, lifetime_value]
`,
  'syncs/big_spenders_webhook.yml': `# A sync: the audience kept in step with a destination (here the sandbox webhook); only changes
# are sent. \`weft plan\` shows what would be sent, \`weft sync --all\` sends it, \`weft runs\` tells.
name: big_spenders_webhook
from: audience.big_spenders        # or a model name, profiles, or source.table
connection: sandbox_webhook
mode: mirror                       # upsert | update | insert | mirror | membership
key: email                         # source column that identifies a row
where: email IS NOT NULL           # optional: only these rows are synced
mappings:                          # destination field: source column or template
  email: email
  first_name: first_name
  ltv: "{{round lifetime_value 2}}"
guardrails: { max_delete_pct: 50 }
`,
  ...scaffoldData,
  '.gitignore': `.weft/
target/
`,
  'README.md': `# {{name}}

A weft project: two CSV exports (data/) resolved into people, with traits, one audience and one
sync to the local sandbox.

    weft validate          # check every file (file:line and the field for each problem)
    weft build             # models, identity, profiles and audiences in the warehouse
    weft sandbox           # in another terminal: local emulators of the destinations
    weft plan              # what the sync would send
    weft sync --all        # send it; \`weft runs\` shows what happened

Use your own data: replace data/*.csv (same columns, or adapt models/staging/*.sql), or declare
your warehouse's tables in models/sources.yml.
`,
};
