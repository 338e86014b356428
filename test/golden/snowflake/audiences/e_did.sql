WITH weft_event_0 AS (
SELECT weft_ir.profile_id AS weft_profile_id, count(*) AS weft_count
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "raw"."events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'app.events' AND weft_ir.row_key = weft_src.weft_row_key
WHERE weft_src."name" = 'order'
GROUP BY weft_ir.profile_id
)
SELECT weft_p.profile_id
FROM "weft"."profiles" AS weft_p
LEFT JOIN weft_event_0 ON weft_event_0.weft_profile_id = weft_p.profile_id
WHERE coalesce(weft_event_0.weft_count, 0) >= 1
