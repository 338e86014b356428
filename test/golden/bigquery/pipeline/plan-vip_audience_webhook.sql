SELECT column_name AS name, data_type AS type FROM `weft`.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'audience_high_value_recent' ORDER BY ordinal_position
;

CREATE SCHEMA IF NOT EXISTS `weft_state`
;

CREATE TABLE IF NOT EXISTS `weft_state`.`sync_runs` (`run_id` STRING, `sync` STRING, `status` STRING, `started_at` TIMESTAMP, `finished_at` TIMESTAMP, `added` INT64, `changed` INT64, `removed` INT64, `succeeded` INT64, `rejected` INT64, `unacknowledged` INT64, `duration_ms` INT64, `error` STRING)
;

CREATE TABLE IF NOT EXISTS `weft_state`.`sync_rejections` (`sync` STRING, `key` STRING, `reason` STRING, `first_seen` TIMESTAMP, `last_seen` TIMESTAMP, `attempts` INT64, `run_id` STRING)
;

CREATE TABLE IF NOT EXISTS `weft_state`.`sync_leases` (`sync` STRING, `run_id` STRING, `holder` STRING, `acquired_at` TIMESTAMP, `expires_at` TIMESTAMP, PRIMARY KEY (`sync`) NOT ENFORCED)
;

CREATE TABLE IF NOT EXISTS `weft_state`.`destination_usage` (`account` STRING, `day` DATE, `requests` INT64, PRIMARY KEY (`account`, `day`) NOT ENFORCED)
;

CREATE TABLE IF NOT EXISTS `weft_state`.`snapshot_vip_audience_webhook` (`key` STRING, `hash` STRING, `destination_id` STRING, `synced_at` TIMESTAMP, `run_id` STRING)
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS kind FROM `weft_state`.INFORMATION_SCHEMA.TABLES WHERE table_name = 'suppressions'
;

CREATE OR REPLACE TABLE `weft_state`.`preview_vip_audience_webhook` AS
SELECT * FROM (
  SELECT
    CASE
      WHEN s.weft_present IS NULL THEN 'removed'
      WHEN s.`__weft_key` IS NULL OR (s.`__weft_key` = '' OR (SUBSTR(s.`__weft_key`, 1, 1) = ' ' AND TRIM(s.`__weft_key`) = '')) THEN 'null_key'
      WHEN s.weft_duplicated THEN 'duplicate_key'
      WHEN t.`key` IS NULL THEN 'added'
      WHEN t.`hash` = s.`__weft_hash` THEN 'unchanged'
      ELSE 'changed'
    END AS `__weft_change`,
    coalesce(s.`__weft_key`, t.`key`) AS `__weft_key`,
    s.`__weft_hash` AS `__weft_hash`,
    t.`destination_id` AS `__weft_destination_id`,
    t.`key` IS NOT NULL AS `__weft_in_snapshot`,
    s.`email`,
    s.`first_name`,
    s.`last_order_at`,
    s.`lifetime_value`,
    s.`profile_id`
  FROM (
    SELECT src.`email`, src.`first_name`, src.`last_order_at`, src.`lifetime_value`, src.`profile_id`, CAST(src.`profile_id` AS STRING) AS `__weft_key`,
      TO_HEX(MD5(ARRAY_TO_STRING([COALESCE('=' || CAST('49cc56b5c4e10738' AS STRING), '~'), COALESCE('=' || CAST(src.`email` AS STRING), '~'), COALESCE('=' || CAST(src.`first_name` AS STRING), '~'), COALESCE('=' || CAST(src.`last_order_at` AS STRING), '~'), COALESCE('=' || CAST(src.`lifetime_value` AS STRING), '~'), COALESCE('=' || CAST(src.`profile_id` AS STRING), '~')], CHR(31)))) AS `__weft_hash`,
      TRUE AS weft_present,
      d.weft_dup_key IS NOT NULL AS weft_duplicated
    FROM `weft`.`audience_high_value_recent` AS src
    LEFT JOIN (SELECT CAST(dup.`profile_id` AS STRING) AS weft_dup_key FROM `weft`.`audience_high_value_recent` AS dup GROUP BY CAST(dup.`profile_id` AS STRING) HAVING count(*) > 1) AS d ON CAST(src.`profile_id` AS STRING) = d.weft_dup_key
  ) AS s
  FULL OUTER JOIN `weft_state`.`snapshot_vip_audience_webhook` AS t ON s.`__weft_key` = t.`key`
) AS d WHERE `__weft_change` <> 'unchanged'
;

SELECT
  sum(CASE WHEN `__weft_change` = 'added' THEN 1 ELSE 0 END) AS added,
  sum(CASE WHEN `__weft_change` = 'changed' THEN 1 ELSE 0 END) AS changed,
  sum(CASE WHEN `__weft_change` = 'removed' THEN 1 ELSE 0 END) AS removed,
  sum(CASE WHEN `__weft_change` = 'null_key' THEN 1 ELSE 0 END) AS null_keys,
  sum(CASE WHEN `__weft_change` = 'duplicate_key' THEN 1 ELSE 0 END) AS duplicate_keys,
  count(DISTINCT CASE WHEN `__weft_change` = 'duplicate_key' AND `__weft_in_snapshot` THEN `__weft_key` END) AS duplicate_keys_in_snapshot
FROM `weft_state`.`preview_vip_audience_webhook`
;

SELECT count(*) AS row_count FROM `weft_state`.`snapshot_vip_audience_webhook`
;

SELECT column_name AS name, data_type AS type FROM `weft`.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'audience_high_value_recent' ORDER BY ordinal_position
;

SELECT * FROM `weft_state`.`preview_vip_audience_webhook` WHERE `__weft_change` = 'added' ORDER BY `__weft_key` LIMIT 0
;

SELECT * FROM `weft_state`.`preview_vip_audience_webhook` WHERE `__weft_change` = 'changed' ORDER BY `__weft_key` LIMIT 0
;

SELECT * FROM `weft_state`.`preview_vip_audience_webhook` WHERE `__weft_change` = 'removed' ORDER BY `__weft_key` LIMIT 0
;

SELECT * FROM `weft_state`.`preview_vip_audience_webhook` WHERE `__weft_change` = 'null_key' ORDER BY `__weft_key` LIMIT 0
;

SELECT * FROM `weft_state`.`preview_vip_audience_webhook` WHERE `__weft_change` = 'duplicate_key' ORDER BY `__weft_key` LIMIT 0
;

DROP TABLE IF EXISTS `weft_state`.`preview_vip_audience_webhook`
;
