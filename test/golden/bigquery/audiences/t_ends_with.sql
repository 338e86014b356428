SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE coalesce(ENDS_WITH(CAST(weft_p.`email` AS STRING), '.io'), FALSE)
