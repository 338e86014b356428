SELECT weft_p.profile_id
FROM `weft`.`profiles` AS weft_p
WHERE weft_p.profile_id IN (SELECT profile_id FROM (
select 'p' || person as profile_id from `raw`.`events` where name = 'view'
) AS weft_raw)
  AND NOT (coalesce(weft_p.`vip` = TRUE, FALSE))
