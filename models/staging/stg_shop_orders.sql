/* config:
  materialized: incremental
  unique_key: order_id
*/
-- Orders, appended incrementally: a run after new source rows only reads orders newer than the
-- latest one already loaded. customer_id is NULL for guest checkouts.
select
  order_id,
  nullif(trim(customer_id), '') as customer_id,
  cast(amount as decimal(12, 2)) as amount,
  coalesce(upper(nullif(trim(currency), '')), '{{var 'currency' 'USD'}}') as currency,
  lower(trim(status)) as status,
  cast(created_at as timestamp) as created_at
from {{source 'shop' 'orders'}}
{{#if is_incremental}} where created_at > (select max(created_at) from {{this}}) {{/if}}
