SELECT weft_p.profile_id
FROM "weft"."profiles" AS weft_p
WHERE coalesce((CAST(weft_p."email" AS VARCHAR) LIKE '%big%' ESCAPE '\\'), FALSE)
