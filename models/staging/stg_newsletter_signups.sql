/* config:
  materialized: table
*/
-- Newsletter signups; timestamps arrive as text, an empty unsubscribed_at means "still subscribed".
select
  signup_id,
  case
    when lower(trim(replace(email, chr(9), ' '))) in ('', 'null', 'none', 'n/a') then null
    else trim(replace(email, chr(9), ' '))
  end as email,
  lower(trim(source)) as signup_source,
  cast(subscribed_at as timestamp) as subscribed_at,
  cast(nullif(trim(unsubscribed_at), '') as timestamp) as unsubscribed_at,
  nullif(trim(unsubscribed_at), '') is null as is_subscribed
from {{source 'newsletter' 'signups'}}
