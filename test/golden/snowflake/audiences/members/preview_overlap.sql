SELECT o.audience, o.split, count(*) AS size, count(t.profile_id) AS overlap
FROM "weft"."audience_members" AS o
LEFT JOIN (SELECT DISTINCT profile_id FROM "weft"."audience_members" WHERE audience = 'vip') AS t
  ON t.profile_id = o.profile_id
WHERE o.audience IN ('vip', 'recent', 'o''brien')
GROUP BY o.audience, o.split
