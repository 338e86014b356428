/* config:
  materialized: table
*/
-- Mobile app events, one device_id per install; platform spellings differ by SDK version.
select
  event_id,
  nullif(trim(device_id), '') as device_id,
  nullif(trim(user_id), '') as user_id,
  lower(trim(platform)) as platform,
  lower(trim(event_type)) as event_type,
  cast(ts as timestamp) as occurred_at
from {{source 'app' 'app_events'}}
