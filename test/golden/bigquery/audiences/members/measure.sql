SELECT audience, split, count(*) AS size, CAST(coalesce(sum(MOD(CAST(CONCAT('0x', SUBSTR(TO_HEX(SHA256(CAST(profile_id AS STRING))), 1, 8)) AS INT64), 2147483647)), 0) AS STRING) AS hash_a, CAST(coalesce(sum(MOD(CAST(CONCAT('0x', SUBSTR(TO_HEX(SHA256(CAST(profile_id AS STRING) || '#')), 1, 8)) AS INT64), 2147483647)), 0) AS STRING) AS hash_b
FROM `weft`.`audience_members`
GROUP BY audience, split
