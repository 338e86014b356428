SELECT weft_p.profile_id
FROM "weft"."profiles" AS weft_p
WHERE coalesce((weft_p."renews_on" >= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AND weft_p."renews_on" <= DATEADD(day, 10, CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ))), FALSE)
