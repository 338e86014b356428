/* config:
  materialized: table
*/
-- Helpdesk tickets; created_at arrives as ISO-8601 text from the API.
select
  ticket_id,
  case
    when lower(trim(replace(email, chr(9), ' '))) in ('', 'null', 'none', 'n/a') then null
    else trim(replace(email, chr(9), ' '))
  end as email,
  trim(subject) as subject,
  lower(trim(priority)) as priority,
  lower(trim(status)) as status,
  cast(created_at as timestamp) as created_at
from {{source 'support' 'tickets'}}
