SELECT profile_id, "email", "ltv", CASE WHEN weft_bucket < 10 THEN 'control' WHEN weft_bucket < 100 THEN 'treatment' END AS "split"
FROM (
SELECT weft_p.profile_id, weft_p."email", weft_p."ltv", mod(CAST(CAST('x' || substr(encode(sha256(convert_to('s_split:' || CAST(weft_p.profile_id AS TEXT), 'UTF8')), 'hex'), 1, 8) AS BIT(32)) AS BIGINT), 100) AS weft_bucket
FROM "weft"."profiles" AS weft_p
WHERE coalesce(weft_p."plan" = 'pro', FALSE)
) AS weft_members
