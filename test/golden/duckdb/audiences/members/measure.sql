SELECT audience, split, count(*) AS size, CAST(coalesce(sum(mod(CAST('0x' || substr(sha256(CAST(profile_id AS VARCHAR)), 1, 8) AS BIGINT), 2147483647)), 0) AS VARCHAR) AS hash_a, CAST(coalesce(sum(mod(CAST('0x' || substr(sha256(CAST(profile_id AS VARCHAR) || '#'), 1, 8) AS BIGINT), 2147483647)), 0) AS VARCHAR) AS hash_b
FROM "weft"."audience_members"
GROUP BY audience, split
