SELECT weft_p.profile_id
FROM "weft"."profiles" AS weft_p
WHERE coalesce((weft_p."last_seen_at" >= DATEADD(day, (-7), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)) AND weft_p."last_seen_at" <= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ), FALSE)
