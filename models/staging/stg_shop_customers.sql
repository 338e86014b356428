/* config:
  materialized: table
*/
-- One row per shop account. Emails and phones are only trimmed (tabs too) and junk placeholders
-- ('', 'null', 'none', 'n/a', and the made-up addresses people type to skip the field) become
-- NULL, so a profile's email falls back to a real one; normalization happens in the identity layer.
-- account_manager: the key-account desk's owner of the customer (set for big spenders only).
select
  trim(customer_id) as customer_id,
  case
    when lower(trim(replace(email, chr(9), ' ')))
      in ('', 'null', 'none', 'n/a', 'test@test.com', 'noemail@example.com', 'a@a.com') then null
    else trim(replace(email, chr(9), ' '))
  end as email,
  case when lower(trim(phone)) in ('', 'null', 'n/a') then null else trim(phone) end as phone,
  nullif(trim(first_name), '') as first_name,
  nullif(trim(last_name), '') as last_name,
  cast(created_at as timestamp) as created_at,
  cast(updated_at as timestamp) as updated_at,
  nullif(trim(account_manager), '') as account_manager
from {{source 'shop' 'customers'}}
