SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE NOT (EXISTS (SELECT 1 FROM `weft`.`audience_pros` AS weft_m WHERE weft_m.profile_id = weft_p.profile_id))
