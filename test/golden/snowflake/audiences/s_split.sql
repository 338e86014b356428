SELECT profile_id, "email", "ltv", CASE WHEN weft_bucket < 10 THEN 'control' WHEN weft_bucket < 100 THEN 'treatment' END AS "split"
FROM (
SELECT weft_p.profile_id, weft_p."email", weft_p."ltv", MOD(TO_NUMBER(UPPER(SUBSTR(SHA2('s_split:' || CAST(weft_p.profile_id AS VARCHAR), 256), 1, 8)), 'XXXXXXXX'), 100) AS weft_bucket
FROM "weft"."profiles" AS weft_p
WHERE coalesce(weft_p."plan" = 'pro', FALSE)
) AS weft_members
