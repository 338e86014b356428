SELECT profile_id, `email`, `ltv`, CASE WHEN weft_bucket < 10 THEN 'control' WHEN weft_bucket < 100 THEN 'treatment' END AS `split`
FROM (
SELECT weft_p.profile_id, weft_p.`email`, weft_p.`ltv`, MOD(CAST(CONCAT('0x', SUBSTR(TO_HEX(SHA256('s_split:' || CAST(weft_p.profile_id AS STRING))), 1, 8)) AS INT64), 100) AS weft_bucket
FROM `weft`.`profiles` AS weft_p
WHERE coalesce(weft_p.`plan` = 'pro', FALSE)
) AS weft_members
