SELECT 'win_back' AS audience, CAST(profile_id AS TEXT) AS profile_id, CAST("split" AS TEXT) AS split
FROM "weft"."audience_win_back"
