SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE coalesce(NOT (STRPOS(CAST(weft_p.`email` AS STRING), 'big') > 0), FALSE)
