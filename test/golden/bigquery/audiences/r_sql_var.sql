SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE weft_p.profile_id IN (SELECT profile_id FROM (
select profile_id from weft.profiles where ltv > 600 union all select 'ghost' -- trailing comment
) AS weft_raw)
