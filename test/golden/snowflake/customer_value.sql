select
  c.customer_id,
  c.email,
  coalesce(sum(o.amount), 0) as lifetime_value,
  'USD' as currency
from "weft"."stg_customers" as c
left join "weft"."stg_orders" as o using (customer_id)
group by 1, 2
