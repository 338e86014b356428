SELECT audience, split, count(*) AS size, CAST(coalesce(sum(mod(CAST(CAST('x' || substr(encode(sha256(convert_to(CAST(profile_id AS TEXT), 'UTF8')), 'hex'), 1, 8) AS BIT(32)) AS BIGINT), 2147483647)), 0) AS TEXT) AS hash_a, CAST(coalesce(sum(mod(CAST(CAST('x' || substr(encode(sha256(convert_to(CAST(profile_id AS TEXT) || '#', 'UTF8')), 'hex'), 1, 8) AS BIT(32)) AS BIGINT), 2147483647)), 0) AS TEXT) AS hash_b
FROM "weft"."audience_members"
GROUP BY audience, split
