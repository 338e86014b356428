/* config:
  materialized: table
*/
-- CRM contacts. updated_at arrives as text from the CSV export; plan and company are tidied,
-- emails and phones only trimmed (junk placeholders become NULL).
select
  trim(contact_id) as contact_id,
  case
    when lower(trim(replace(email, chr(9), ' ')))
      in ('', 'null', 'none', 'n/a', 'test@test.com', 'noemail@example.com', 'a@a.com') then null
    else trim(replace(email, chr(9), ' '))
  end as email,
  case when lower(trim(phone)) in ('', 'null', 'n/a') then null else trim(phone) end as phone,
  nullif(trim(first_name), '') as first_name,
  nullif(trim(last_name), '') as last_name,
  nullif(trim(company), '') as company,
  case
    when lower(trim(replace(plan, chr(9), ' '))) in ('', 'null') then null
    else lower(trim(replace(plan, chr(9), ' ')))
  end as plan,
  cast(updated_at as timestamp) as updated_at
from {{source 'crm' 'contacts'}}
