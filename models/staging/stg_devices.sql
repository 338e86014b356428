/* config:
  materialized: table
*/
-- Smart meters registered to shop accounts: the serial a meter reports over MQTT is its device_id.
select
  trim(device_id) as device_id,
  nullif(trim(customer_id), '') as customer_id,
  nullif(trim(model), '') as model,
  cast(installed_at as timestamp) as installed_at
from {{source 'devices' 'devices'}}
