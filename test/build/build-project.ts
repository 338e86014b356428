/** The project the build tests run: a view, an incremental model and a table in another schema. */
import type { Project } from '../../src/config/types.js';
import { type ModelSpec, makeProject } from '../compiler/project-fixture.js';

export const stgCustomers: ModelSpec = {
  path: 'models/staging/stg_customers.sql',
  sql: "select customer_id, lower(trim(email)) as email from {{source 'shop' 'customers'}}",
};

export const stgOrders: ModelSpec = {
  path: 'models/staging/stg_orders.sql',
  materialized: 'incremental',
  unique_key: ['order_id'],
  sql: `select order_id, customer_id, amount, updated_at
from {{source 'shop' 'orders'}}
{{#if is_incremental}}where updated_at > (select max(updated_at) from {{this}}){{/if}}`,
};

export const customerValue: ModelSpec = {
  path: 'models/marts/customer_value.sql',
  materialized: 'table',
  schema: 'marts',
  sql: `select c.customer_id, c.email, coalesce(sum(o.amount), 0) as lifetime_value
from {{ref 'stg_customers'}} c left join {{ref 'stg_orders'}} o using (customer_id)
group by all`,
};

/** The three models above, plus any extra or replaced ones. */
export function buildTestProject(extra: Record<string, ModelSpec> = {}): Project {
  return makeProject({
    stg_customers: stgCustomers,
    stg_orders: stgOrders,
    customer_value: customerValue,
    ...extra,
  });
}
