SELECT column_name AS name, data_type AS type FROM `weft`.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'stg_crm_contacts' ORDER BY ordinal_position
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

INSERT INTO `weft_state`.`sync_leases` (sync, expires_at) SELECT 'crm_contacts_webhook', TIMESTAMP '1970-01-01 00:00:00.000' WHERE NOT EXISTS (SELECT 1 FROM `weft_state`.`sync_leases` WHERE sync = 'crm_contacts_webhook')
;

SELECT * FROM `weft_state`.`sync_leases` WHERE sync = 'crm_contacts_webhook'
;

UPDATE `weft_state`.`sync_leases` SET run_id = '<run-id>', holder = '<host>/<pid>', acquired_at = TIMESTAMP '<now>', expires_at = TIMESTAMP '<now>' WHERE sync = 'crm_contacts_webhook'
;

UPDATE `weft_state`.`sync_runs` SET status = 'failed', finished_at = TIMESTAMP '<now>', error = 'interrupted: the process stopped before finishing' WHERE sync = 'crm_contacts_webhook' AND status = 'running' AND run_id <> '<run-id>'
;

INSERT INTO `weft_state`.`sync_runs` (run_id, sync, status, started_at) VALUES ('<run-id>', 'crm_contacts_webhook', 'running', TIMESTAMP '<now>')
;

CREATE TABLE IF NOT EXISTS `weft_state`.`snapshot_crm_contacts_webhook` (`key` STRING, `hash` STRING, `destination_id` STRING, `synced_at` TIMESTAMP, `run_id` STRING)
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS kind FROM `weft_state`.INFORMATION_SCHEMA.TABLES WHERE table_name = 'suppressions'
;

CREATE OR REPLACE TABLE `weft_state`.`plan_crm_contacts_webhook` AS
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
    s.`company`,
    s.`contact_id`,
    s.`email`,
    s.`first_name`,
    s.`last_name`,
    s.`plan`,
    s.`updated_at`
  FROM (
    SELECT src.`company`, src.`contact_id`, src.`email`, src.`first_name`, src.`last_name`, src.`plan`, src.`updated_at`, CAST(src.`contact_id` AS STRING) AS `__weft_key`,
      TO_HEX(MD5(ARRAY_TO_STRING([COALESCE('=' || CAST('d760a14fcc6908b8' AS STRING), '~'), COALESCE('=' || CAST(src.`company` AS STRING), '~'), COALESCE('=' || CAST(src.`contact_id` AS STRING), '~'), COALESCE('=' || CAST(src.`email` AS STRING), '~'), COALESCE('=' || CAST(src.`first_name` AS STRING), '~'), COALESCE('=' || CAST(src.`last_name` AS STRING), '~'), COALESCE('=' || CAST(src.`plan` AS STRING), '~'), COALESCE('=' || CAST(src.`updated_at` AS STRING), '~')], CHR(31)))) AS `__weft_hash`,
      TRUE AS weft_present,
      d.weft_dup_key IS NOT NULL AS weft_duplicated
    FROM `weft`.`stg_crm_contacts` AS src
    LEFT JOIN (SELECT CAST(dup.`contact_id` AS STRING) AS weft_dup_key FROM `weft`.`stg_crm_contacts` AS dup GROUP BY CAST(dup.`contact_id` AS STRING) HAVING count(*) > 1) AS d ON CAST(src.`contact_id` AS STRING) = d.weft_dup_key
  ) AS s
  FULL OUTER JOIN `weft_state`.`snapshot_crm_contacts_webhook` AS t ON s.`__weft_key` = t.`key`
) AS d WHERE `__weft_change` <> 'unchanged'
;

SELECT
  sum(CASE WHEN `__weft_change` = 'added' THEN 1 ELSE 0 END) AS added,
  sum(CASE WHEN `__weft_change` = 'changed' THEN 1 ELSE 0 END) AS changed,
  sum(CASE WHEN `__weft_change` = 'removed' THEN 1 ELSE 0 END) AS removed,
  sum(CASE WHEN `__weft_change` = 'null_key' THEN 1 ELSE 0 END) AS null_keys,
  sum(CASE WHEN `__weft_change` = 'duplicate_key' THEN 1 ELSE 0 END) AS duplicate_keys,
  count(DISTINCT CASE WHEN `__weft_change` = 'duplicate_key' AND `__weft_in_snapshot` THEN `__weft_key` END) AS duplicate_keys_in_snapshot
FROM `weft_state`.`plan_crm_contacts_webhook`
;

SELECT count(*) AS row_count FROM `weft_state`.`snapshot_crm_contacts_webhook`
;

UPDATE `weft_state`.`sync_runs` SET added = 22, changed = 0, removed = 0 WHERE run_id = '<run-id>'
;

SELECT requests FROM `weft_state`.`destination_usage` WHERE account = 'portable_sql_memory:sandbox_webhook' AND day = CAST('2026-01-01' AS DATE)
;

SELECT * FROM `weft_state`.`plan_crm_contacts_webhook` WHERE `__weft_change` IN ('added', 'changed', 'removed')
;

-- load `weft_state`.`journal_crm_contacts_webhook` (kind, key, hash, op, destination_id, reason, fast_hash)
;

CREATE OR REPLACE TEMP TABLE _SESSION.`journal_crm_contacts_webhook_acks` AS
SELECT j.`key`, j.`hash`, j.`op`, coalesce(j.destination_id, s.destination_id) AS destination_id
FROM (SELECT `key`, `hash`, `op`, destination_id FROM `weft_state`.`journal_crm_contacts_webhook` WHERE kind = 'ack') AS j
LEFT JOIN `weft_state`.`snapshot_crm_contacts_webhook` AS s ON s.`key` = j.`key`
;

MERGE `weft_state`.`snapshot_crm_contacts_webhook` AS weft_target
USING (
SELECT `key`, `hash`, destination_id, TIMESTAMP '<now>' AS synced_at, '<run-id>' AS run_id, `op` FROM _SESSION.`journal_crm_contacts_webhook_acks`
) AS weft_source
ON weft_target.`key` = weft_source.`key`
WHEN MATCHED AND (weft_source.`op` <> 'set') THEN DELETE
WHEN MATCHED THEN UPDATE SET `hash` = weft_source.`hash`, `destination_id` = weft_source.`destination_id`, `synced_at` = weft_source.`synced_at`, `run_id` = weft_source.`run_id`
WHEN NOT MATCHED AND NOT COALESCE((weft_source.`op` <> 'set'), FALSE) THEN INSERT (`key`, `hash`, `destination_id`, `synced_at`, `run_id`) VALUES (weft_source.`key`, weft_source.`hash`, weft_source.`destination_id`, weft_source.`synced_at`, weft_source.`run_id`)
;

DELETE FROM `weft_state`.`sync_rejections` WHERE sync = 'crm_contacts_webhook' AND `key` IN (SELECT `key` FROM _SESSION.`journal_crm_contacts_webhook_acks`)
;

CREATE OR REPLACE TEMP TABLE _SESSION.`journal_crm_contacts_webhook_rejs` AS
SELECT j.`key`, j.reason, coalesce(r.first_seen, TIMESTAMP '<now>') AS first_seen,
  coalesce(r.attempts, 0) + CASE WHEN r.run_id = '<run-id>' THEN 0 ELSE 1 END AS attempts
FROM (SELECT `key`, reason FROM `weft_state`.`journal_crm_contacts_webhook` WHERE kind = 'rej') AS j
LEFT JOIN `weft_state`.`sync_rejections` AS r ON r.sync = 'crm_contacts_webhook' AND r.`key` = j.`key`
;

DELETE FROM `weft_state`.`sync_rejections` WHERE sync = 'crm_contacts_webhook' AND `key` IN (SELECT `key` FROM _SESSION.`journal_crm_contacts_webhook_rejs`)
;

INSERT INTO `weft_state`.`sync_rejections` (`sync`, `key`, `reason`, `first_seen`, `last_seen`, `attempts`, `run_id`)
SELECT 'crm_contacts_webhook', `key`, reason, first_seen, TIMESTAMP '<now>', attempts, '<run-id>' FROM _SESSION.`journal_crm_contacts_webhook_rejs`
;

DROP TABLE IF EXISTS `weft_state`.`journal_crm_contacts_webhook`
;

DROP TABLE IF EXISTS _SESSION.`journal_crm_contacts_webhook_acks`
;

DROP TABLE IF EXISTS _SESSION.`journal_crm_contacts_webhook_rejs`
;

UPDATE `weft_state`.`sync_runs` SET status = 'partial', finished_at = TIMESTAMP '<now>', added = 22, changed = 0, removed = 0, succeeded = 0, rejected = 22, unacknowledged = 0, duration_ms = <ms>, error = NULL WHERE run_id = '<run-id>'
;

UPDATE `weft_state`.`sync_leases` SET run_id = NULL, holder = NULL, expires_at = TIMESTAMP '1970-01-01 00:00:00.000' WHERE sync = 'crm_contacts_webhook' AND run_id = '<run-id>'
;
