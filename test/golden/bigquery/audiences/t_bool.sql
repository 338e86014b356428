SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE coalesce(weft_p.`vip` = TRUE, FALSE)
