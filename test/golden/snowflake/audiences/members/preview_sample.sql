SELECT m.profile_id, p."email", p."lifetime_value", m.split AS "split"
FROM (
  SELECT profile_id, split FROM "weft"."audience_members"
  WHERE audience = 'win_back'
  ORDER BY profile_id LIMIT 10
) AS m
LEFT JOIN "weft"."profiles" AS p ON p.profile_id = m.profile_id
ORDER BY m.profile_id
