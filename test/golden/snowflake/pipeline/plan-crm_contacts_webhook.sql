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

CREATE TABLE IF NOT EXISTS "weft_state"."snapshot_crm_contacts_webhook" ("key" VARCHAR, "hash" VARCHAR, "destination_id" VARCHAR, "synced_at" TIMESTAMP_NTZ, "run_id" VARCHAR)
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('suppressions')
;

CREATE OR REPLACE TRANSIENT TABLE "weft_state"."preview_crm_contacts_webhook" AS
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
FROM "weft_state"."preview_crm_contacts_webhook"
;

SELECT count(*) AS row_count FROM "weft_state"."snapshot_crm_contacts_webhook"
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_crm_contacts') ORDER BY ordinal_position
;

SELECT * FROM "weft_state"."preview_crm_contacts_webhook" WHERE "__weft_change" = 'added' ORDER BY "__weft_key" LIMIT 0
;

SELECT * FROM "weft_state"."preview_crm_contacts_webhook" WHERE "__weft_change" = 'changed' ORDER BY "__weft_key" LIMIT 0
;

SELECT * FROM "weft_state"."preview_crm_contacts_webhook" WHERE "__weft_change" = 'removed' ORDER BY "__weft_key" LIMIT 0
;

SELECT * FROM "weft_state"."preview_crm_contacts_webhook" WHERE "__weft_change" = 'null_key' ORDER BY "__weft_key" LIMIT 0
;

SELECT * FROM "weft_state"."preview_crm_contacts_webhook" WHERE "__weft_change" = 'duplicate_key' ORDER BY "__weft_key" LIMIT 0
;

DROP TABLE IF EXISTS "weft_state"."preview_crm_contacts_webhook"
;
