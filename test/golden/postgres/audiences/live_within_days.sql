SELECT weft_p.profile_id
FROM "weft"."profiles" AS weft_p
WHERE coalesce((weft_p."last_seen_at" >= (CAST((current_timestamp AT TIME ZONE 'UTC') AS TIMESTAMP) - INTERVAL '7 days') AND weft_p."last_seen_at" <= (current_timestamp AT TIME ZONE 'UTC')), FALSE)
