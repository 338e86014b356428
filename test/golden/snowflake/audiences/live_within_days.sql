SELECT weft_p.profile_id
FROM "weft"."profiles" AS weft_p
WHERE coalesce((weft_p."last_seen_at" >= DATEADD(day, (-7), CAST(SYSDATE() AS TIMESTAMP_NTZ)) AND weft_p."last_seen_at" <= SYSDATE()), FALSE)
