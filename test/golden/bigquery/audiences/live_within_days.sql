SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE coalesce((weft_p.`last_seen_at` >= TIMESTAMP_SUB(CAST(CURRENT_TIMESTAMP() AS TIMESTAMP), INTERVAL 7 DAY) AND weft_p.`last_seen_at` <= CURRENT_TIMESTAMP()), FALSE)
