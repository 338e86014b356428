SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE coalesce(STARTS_WITH(CAST(weft_p.`email` AS STRING), 'cy_'), FALSE)
