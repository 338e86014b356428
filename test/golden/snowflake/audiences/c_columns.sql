SELECT weft_p.profile_id, weft_p."email", weft_p."last_seen_at"
FROM "weft"."profiles" AS weft_p
WHERE coalesce(weft_p."vip" = TRUE, FALSE)
