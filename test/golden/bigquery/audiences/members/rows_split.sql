SELECT 'win_back' AS audience, CAST(profile_id AS STRING) AS profile_id, CAST(`split` AS STRING) AS split
FROM `weft`.`audience_win_back`
