SELECT 'vip' AS audience, CAST(profile_id AS STRING) AS profile_id, CAST(NULL AS STRING) AS split
FROM `weft`.`audience_vip`
