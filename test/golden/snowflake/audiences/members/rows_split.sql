SELECT 'win_back' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST("split" AS VARCHAR) AS split
FROM "weft"."audience_win_back"
