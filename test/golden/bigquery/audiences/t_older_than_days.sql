SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE coalesce(weft_p.`last_seen_at` < TIMESTAMP_SUB(CAST(TIMESTAMP '2025-06-01 00:00:00.000' AS TIMESTAMP), INTERVAL 90 DAY), FALSE)
