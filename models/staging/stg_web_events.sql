/* config:
  materialized: table
*/
-- Website events. user_id (the shop's customer_id) is NULL until the cookie signs up or logs
-- in; the signup/login event carries both anonymous_id and user_id.
select
  event_id,
  nullif(trim(anonymous_id), '') as anonymous_id,
  nullif(trim(user_id), '') as user_id,
  lower(trim(event_type)) as event_type,
  url,
  cast(ts as timestamp) as occurred_at
from {{source 'web' 'events'}}
