SELECT 'vip' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS split
FROM "weft"."audience_vip"
