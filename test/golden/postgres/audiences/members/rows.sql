SELECT 'vip' AS audience, CAST(profile_id AS TEXT) AS profile_id, CAST(NULL AS TEXT) AS split
FROM "weft"."audience_vip"
