select order_id, customer_id, amount, ordered_at
from "raw"."shop_orders"
where amount >= 0
