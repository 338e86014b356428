SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE coalesce((weft_p.`renews_on` >= TIMESTAMP '2025-06-01 00:00:00.000' AND weft_p.`renews_on` <= TIMESTAMP_ADD(CAST(TIMESTAMP '2025-06-01 00:00:00.000' AS TIMESTAMP), INTERVAL 10 DAY)), FALSE)
