/** The small project whose compiled SQL is kept as golden files per dialect. */
import type { Project } from '../../src/config/types.js';
import { makeProject } from './project-fixture.js';

export const goldenProject: Project = makeProject(
  {
    stg_customers: {
      path: 'models/staging/stg_customers.sql',
      sql: `/* config:
  materialized: view
*/
select
  customer_id,
  lower(trim(email)) as email,
  created_at
from {{source 'shop' 'customers'}}
`,
    },
    stg_orders: {
      path: 'models/staging/stg_orders.sql',
      materialized: 'incremental',
      unique_key: ['order_id'],
      sql: `/* config: { materialized: incremental, unique_key: order_id } */
select order_id, customer_id, amount, ordered_at
from {{source 'shop' 'orders'}}
where amount >= {{var 'min_amount'}}
{{#if is_incremental}}
  and ordered_at > (select max(ordered_at) from {{this}})
{{/if}}
`,
    },
    customer_value: {
      path: 'models/marts/customer_value.sql',
      materialized: 'table',
      schema: 'marts',
      sql: `select
  c.customer_id,
  c.email,
  coalesce(sum(o.amount), 0) as lifetime_value,
  '{{var 'currency' 'USD'}}' as currency
from {{ref 'stg_customers'}} as c
left join {{ref 'stg_orders'}} as o using (customer_id)
group by 1, 2;
`,
    },
  },
  { vars: { min_amount: 0 } },
);
