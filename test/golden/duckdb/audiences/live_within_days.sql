SELECT weft_p.profile_id
FROM "weft"."profiles" AS weft_p
WHERE coalesce((weft_p."last_seen_at" >= (CAST(timezone('UTC', current_timestamp) AS TIMESTAMP) - INTERVAL 7 DAY) AND weft_p."last_seen_at" <= timezone('UTC', current_timestamp)), FALSE)
