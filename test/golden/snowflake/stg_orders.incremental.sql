select order_id, customer_id, amount, ordered_at
from "raw"."shop_orders"
where amount >= 0
  and ordered_at > (select max(ordered_at) from "weft"."stg_orders")
