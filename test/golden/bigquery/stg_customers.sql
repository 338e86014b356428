select
  customer_id,
  lower(trim(email)) as email,
  created_at
from `raw`.`customers`
