SELECT audience, split, count(*) AS size, CAST(coalesce(sum(MOD(TO_NUMBER(UPPER(SUBSTR(SHA2(CAST(profile_id AS VARCHAR), 256), 1, 8)), 'XXXXXXXX'), 2147483647)), 0) AS VARCHAR) AS hash_a, CAST(coalesce(sum(MOD(TO_NUMBER(UPPER(SUBSTR(SHA2(CAST(profile_id AS VARCHAR) || '#', 256), 1, 8)), 'XXXXXXXX'), 2147483647)), 0) AS VARCHAR) AS hash_b
FROM "weft"."audience_members"
GROUP BY audience, split
