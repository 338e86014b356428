SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE coalesce((STRPOS(CAST(weft_p.`email` AS STRING), 'big') > 0), FALSE)
