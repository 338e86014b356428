SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_crm_contacts') ORDER BY ordinal_position
;

CREATE SCHEMA IF NOT EXISTS "weft_state"
;

CREATE TABLE IF NOT EXISTS "weft_state"."sync_runs" ("run_id" VARCHAR, "sync" VARCHAR, "status" VARCHAR, "started_at" TIMESTAMP_NTZ, "finished_at" TIMESTAMP_NTZ, "added" NUMBER(19,0), "changed" NUMBER(19,0), "removed" NUMBER(19,0), "succeeded" NUMBER(19,0), "rejected" NUMBER(19,0), "unacknowledged" NUMBER(19,0), "duration_ms" NUMBER(19,0), "error" VARCHAR)
;

CREATE TABLE IF NOT EXISTS "weft_state"."sync_rejections" ("sync" VARCHAR, "key" VARCHAR, "reason" VARCHAR, "first_seen" TIMESTAMP_NTZ, "last_seen" TIMESTAMP_NTZ, "attempts" NUMBER(19,0), "run_id" VARCHAR)
;

CREATE TABLE IF NOT EXISTS "weft_state"."sync_leases" ("sync" VARCHAR, "run_id" VARCHAR, "holder" VARCHAR, "acquired_at" TIMESTAMP_NTZ, "expires_at" TIMESTAMP_NTZ, PRIMARY KEY ("sync"))
;

CREATE TABLE IF NOT EXISTS "weft_state"."destination_usage" ("account" VARCHAR, "day" DATE, "requests" NUMBER(19,0), PRIMARY KEY ("account", "day"))
;

INSERT INTO "weft_state"."sync_leases" (sync, expires_at) SELECT 'crm_contacts_webhook', '1970-01-01 00:00:00.000'::TIMESTAMP_NTZ WHERE NOT EXISTS (SELECT 1 FROM "weft_state"."sync_leases" WHERE sync = 'crm_contacts_webhook')
;

SELECT * FROM "weft_state"."sync_leases" WHERE sync = 'crm_contacts_webhook'
;

UPDATE "weft_state"."sync_leases" SET run_id = '<run-id>', holder = '<host>/<pid>', acquired_at = '<now>'::TIMESTAMP_NTZ, expires_at = '<now>'::TIMESTAMP_NTZ WHERE sync = 'crm_contacts_webhook'
;

UPDATE "weft_state"."sync_runs" SET status = 'failed', finished_at = '<now>'::TIMESTAMP_NTZ, error = 'interrupted: the process stopped before finishing' WHERE sync = 'crm_contacts_webhook' AND status = 'running' AND run_id <> '<run-id>'
;

INSERT INTO "weft_state"."sync_runs" (run_id, sync, status, started_at) VALUES ('<run-id>', 'crm_contacts_webhook', 'running', '<now>'::TIMESTAMP_NTZ)
;

CREATE TABLE IF NOT EXISTS "weft_state"."snapshot_crm_contacts_webhook" ("key" VARCHAR, "hash" VARCHAR, "destination_id" VARCHAR, "synced_at" TIMESTAMP_NTZ, "run_id" VARCHAR)
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('suppressions')
;

CREATE OR REPLACE TRANSIENT TABLE "weft_state"."plan_crm_contacts_webhook" AS
SELECT * FROM (
  SELECT
    CASE
      WHEN s.weft_present IS NULL THEN 'removed'
      WHEN s."__weft_key" IS NULL OR (s."__weft_key" = '' OR (SUBSTR(s."__weft_key", 1, 1) = ' ' AND TRIM(s."__weft_key") = '')) THEN 'null_key'
      WHEN s.weft_duplicated THEN 'duplicate_key'
      WHEN t."key" IS NULL THEN 'added'
      WHEN t."hash" = s."__weft_hash" THEN 'unchanged'
      ELSE 'changed'
    END AS "__weft_change",
    coalesce(s."__weft_key", t."key") AS "__weft_key",
    s."__weft_hash" AS "__weft_hash",
    t."destination_id" AS "__weft_destination_id",
    t."key" IS NOT NULL AS "__weft_in_snapshot",
    s."company",
    s."contact_id",
    s."email",
    s."first_name",
    s."last_name",
    s."plan",
    s."updated_at"
  FROM (
    SELECT src."company", src."contact_id", src."email", src."first_name", src."last_name", src."plan", src."updated_at", CAST(src."contact_id" AS VARCHAR) AS "__weft_key",
      md5(concat_ws(chr(31), coalesce('=' || CAST('d760a14fcc6908b8' AS VARCHAR), '~'), coalesce('=' || CAST(src."company" AS VARCHAR), '~'), coalesce('=' || CAST(src."contact_id" AS VARCHAR), '~'), coalesce('=' || CAST(src."email" AS VARCHAR), '~'), coalesce('=' || CAST(src."first_name" AS VARCHAR), '~'), coalesce('=' || CAST(src."last_name" AS VARCHAR), '~'), coalesce('=' || CAST(src."plan" AS VARCHAR), '~'), coalesce('=' || CAST(src."updated_at" AS VARCHAR), '~'))) AS "__weft_hash",
      TRUE AS weft_present,
      d.weft_dup_key IS NOT NULL AS weft_duplicated
    FROM "weft"."stg_crm_contacts" AS src
    LEFT JOIN (SELECT CAST(dup."contact_id" AS VARCHAR) AS weft_dup_key FROM "weft"."stg_crm_contacts" AS dup GROUP BY CAST(dup."contact_id" AS VARCHAR) HAVING count(*) > 1) AS d ON CAST(src."contact_id" AS VARCHAR) = d.weft_dup_key
  ) AS s
  FULL OUTER JOIN "weft_state"."snapshot_crm_contacts_webhook" AS t ON s."__weft_key" = t."key"
) AS d WHERE "__weft_change" <> 'unchanged'
;

SELECT
  sum(CASE WHEN "__weft_change" = 'added' THEN 1 ELSE 0 END) AS added,
  sum(CASE WHEN "__weft_change" = 'changed' THEN 1 ELSE 0 END) AS changed,
  sum(CASE WHEN "__weft_change" = 'removed' THEN 1 ELSE 0 END) AS removed,
  sum(CASE WHEN "__weft_change" = 'null_key' THEN 1 ELSE 0 END) AS null_keys,
  sum(CASE WHEN "__weft_change" = 'duplicate_key' THEN 1 ELSE 0 END) AS duplicate_keys,
  count(DISTINCT CASE WHEN "__weft_change" = 'duplicate_key' AND "__weft_in_snapshot" THEN "__weft_key" END) AS duplicate_keys_in_snapshot
FROM "weft_state"."plan_crm_contacts_webhook"
;

SELECT count(*) AS row_count FROM "weft_state"."snapshot_crm_contacts_webhook"
;

UPDATE "weft_state"."sync_runs" SET added = 102, changed = 0, removed = 0 WHERE run_id = '<run-id>'
;

SELECT requests FROM "weft_state"."destination_usage" WHERE account = 'portable_sql_memory:sandbox_webhook' AND day = CAST('2026-01-01' AS DATE)
;

SELECT * FROM "weft_state"."plan_crm_contacts_webhook" WHERE "__weft_change" IN ('added', 'changed', 'removed')
;

-- load "weft_state"."journal_crm_contacts_webhook" (kind, key, hash, op, destination_id, reason, fast_hash)
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."journal_crm_contacts_webhook_acks" AS
SELECT j."key", j."hash", j."op", coalesce(j.destination_id, s.destination_id) AS destination_id
FROM (SELECT "key", "hash", "op", destination_id FROM "weft_state"."journal_crm_contacts_webhook" WHERE kind = 'ack') AS j
LEFT JOIN "weft_state"."snapshot_crm_contacts_webhook" AS s ON s."key" = j."key"
;

MERGE INTO "weft_state"."snapshot_crm_contacts_webhook" AS weft_target
USING (
SELECT "key", "hash", destination_id, '<now>'::TIMESTAMP_NTZ AS synced_at, '<run-id>' AS run_id, "op" FROM "weft_session"."journal_crm_contacts_webhook_acks"
) AS weft_source
ON weft_target."key" = weft_source."key"
WHEN MATCHED AND (weft_source."op" <> 'set') THEN DELETE
WHEN MATCHED THEN UPDATE SET "hash" = weft_source."hash", "destination_id" = weft_source."destination_id", "synced_at" = weft_source."synced_at", "run_id" = weft_source."run_id"
WHEN NOT MATCHED AND NOT coalesce((weft_source."op" <> 'set'), FALSE) THEN INSERT ("key", "hash", "destination_id", "synced_at", "run_id") VALUES (weft_source."key", weft_source."hash", weft_source."destination_id", weft_source."synced_at", weft_source."run_id")
;

DELETE FROM "weft_state"."sync_rejections" WHERE sync = 'crm_contacts_webhook' AND "key" IN (SELECT "key" FROM "weft_session"."journal_crm_contacts_webhook_acks")
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."journal_crm_contacts_webhook_rejs" AS
SELECT j."key", j.reason, coalesce(r.first_seen, '<now>'::TIMESTAMP_NTZ) AS first_seen,
  coalesce(r.attempts, 0) + CASE WHEN r.run_id = '<run-id>' THEN 0 ELSE 1 END AS attempts
FROM (SELECT "key", reason FROM "weft_state"."journal_crm_contacts_webhook" WHERE kind = 'rej') AS j
LEFT JOIN "weft_state"."sync_rejections" AS r ON r.sync = 'crm_contacts_webhook' AND r."key" = j."key"
;

DELETE FROM "weft_state"."sync_rejections" WHERE sync = 'crm_contacts_webhook' AND "key" IN (SELECT "key" FROM "weft_session"."journal_crm_contacts_webhook_rejs")
;

INSERT INTO "weft_state"."sync_rejections" ("sync", "key", "reason", "first_seen", "last_seen", "attempts", "run_id")
SELECT 'crm_contacts_webhook', "key", reason, first_seen, '<now>'::TIMESTAMP_NTZ, attempts, '<run-id>' FROM "weft_session"."journal_crm_contacts_webhook_rejs"
;

DROP TABLE IF EXISTS "weft_state"."journal_crm_contacts_webhook"
;

DROP TABLE IF EXISTS "weft_session"."journal_crm_contacts_webhook_acks"
;

DROP TABLE IF EXISTS "weft_session"."journal_crm_contacts_webhook_rejs"
;

UPDATE "weft_state"."sync_runs" SET status = 'partial', finished_at = '<now>'::TIMESTAMP_NTZ, added = 102, changed = 0, removed = 0, succeeded = 80, rejected = 22, unacknowledged = 0, duration_ms = <ms>, error = NULL WHERE run_id = '<run-id>'
;

UPDATE "weft_state"."sync_leases" SET run_id = NULL, holder = NULL, expires_at = '1970-01-01 00:00:00.000'::TIMESTAMP_NTZ WHERE sync = 'crm_contacts_webhook' AND run_id = '<run-id>'
;
