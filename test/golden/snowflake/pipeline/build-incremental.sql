CREATE SCHEMA IF NOT EXISTS "weft"
;

DROP TABLE IF EXISTS "weft"."stg_app_events__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_app_events__weft_old"
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."stg_app_events__weft_tmp" AS
-- Mobile app events, one device_id per install; platform spellings differ by SDK version.
select
  event_id,
  nullif(trim(device_id), '') as device_id,
  nullif(trim(user_id), '') as user_id,
  lower(trim(platform)) as platform,
  lower(trim(event_type)) as event_type,
  cast(ts as timestamp) as occurred_at
from "raw"."app_events"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_app_events')
;

ALTER TABLE "weft"."stg_app_events" RENAME TO "weft"."stg_app_events__weft_old"
;

ALTER TABLE "weft"."stg_app_events__weft_tmp" RENAME TO "weft"."stg_app_events"
;

DROP TABLE IF EXISTS "weft"."stg_app_events__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_app_events__weft_old"
;

SELECT count(*) AS row_count FROM "weft"."stg_app_events"
;

DROP TABLE IF EXISTS "weft"."stg_crm_contacts__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_crm_contacts__weft_old"
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."stg_crm_contacts__weft_tmp" AS
-- CRM contacts. updated_at arrives as text from the CSV export; plan and company are tidied,
-- emails and phones only trimmed (junk placeholders become NULL).
select
  trim(contact_id) as contact_id,
  case
    when lower(trim(replace(email, chr(9), ' ')))
      in ('', 'null', 'none', 'n/a', 'test@test.com', 'noemail@example.com', 'a@a.com') then null
    else trim(replace(email, chr(9), ' '))
  end as email,
  case when lower(trim(phone)) in ('', 'null', 'n/a') then null else trim(phone) end as phone,
  nullif(trim(first_name), '') as first_name,
  nullif(trim(last_name), '') as last_name,
  nullif(trim(company), '') as company,
  case
    when lower(trim(replace(plan, chr(9), ' '))) in ('', 'null') then null
    else lower(trim(replace(plan, chr(9), ' ')))
  end as plan,
  cast(updated_at as timestamp) as updated_at
from "raw"."contacts"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_crm_contacts')
;

ALTER TABLE "weft"."stg_crm_contacts" RENAME TO "weft"."stg_crm_contacts__weft_old"
;

ALTER TABLE "weft"."stg_crm_contacts__weft_tmp" RENAME TO "weft"."stg_crm_contacts"
;

DROP TABLE IF EXISTS "weft"."stg_crm_contacts__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_crm_contacts__weft_old"
;

SELECT count(*) AS row_count FROM "weft"."stg_crm_contacts"
;

DROP TABLE IF EXISTS "weft"."stg_devices__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_devices__weft_old"
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."stg_devices__weft_tmp" AS
-- Smart meters registered to shop accounts: the serial a meter reports over MQTT is its device_id.
select
  trim(device_id) as device_id,
  nullif(trim(customer_id), '') as customer_id,
  nullif(trim(model), '') as model,
  cast(installed_at as timestamp) as installed_at
from "raw"."devices"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_devices')
;

ALTER TABLE "weft"."stg_devices" RENAME TO "weft"."stg_devices__weft_old"
;

ALTER TABLE "weft"."stg_devices__weft_tmp" RENAME TO "weft"."stg_devices"
;

DROP TABLE IF EXISTS "weft"."stg_devices__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_devices__weft_old"
;

SELECT count(*) AS row_count FROM "weft"."stg_devices"
;

DROP TABLE IF EXISTS "weft"."stg_newsletter_signups__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_newsletter_signups__weft_old"
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."stg_newsletter_signups__weft_tmp" AS
-- Newsletter signups; timestamps arrive as text, an empty unsubscribed_at means "still subscribed".
select
  signup_id,
  case
    when lower(trim(replace(email, chr(9), ' '))) in ('', 'null', 'none', 'n/a') then null
    else trim(replace(email, chr(9), ' '))
  end as email,
  lower(trim(source)) as signup_source,
  cast(subscribed_at as timestamp) as subscribed_at,
  cast(nullif(trim(unsubscribed_at), '') as timestamp) as unsubscribed_at,
  nullif(trim(unsubscribed_at), '') is null as is_subscribed
from "raw"."signups"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_newsletter_signups')
;

ALTER TABLE "weft"."stg_newsletter_signups" RENAME TO "weft"."stg_newsletter_signups__weft_old"
;

ALTER TABLE "weft"."stg_newsletter_signups__weft_tmp" RENAME TO "weft"."stg_newsletter_signups"
;

DROP TABLE IF EXISTS "weft"."stg_newsletter_signups__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_newsletter_signups__weft_old"
;

SELECT count(*) AS row_count FROM "weft"."stg_newsletter_signups"
;

DROP TABLE IF EXISTS "weft"."stg_shop_customers__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_shop_customers__weft_old"
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."stg_shop_customers__weft_tmp" AS
-- One row per shop account. Emails and phones are only trimmed (tabs too) and junk placeholders
-- ('', 'null', 'none', 'n/a', and the made-up addresses people type to skip the field) become
-- NULL, so a profile's email falls back to a real one; normalization happens in the identity layer.
-- account_manager: the key-account desk's owner of the customer (set for big spenders only).
select
  trim(customer_id) as customer_id,
  case
    when lower(trim(replace(email, chr(9), ' ')))
      in ('', 'null', 'none', 'n/a', 'test@test.com', 'noemail@example.com', 'a@a.com') then null
    else trim(replace(email, chr(9), ' '))
  end as email,
  case when lower(trim(phone)) in ('', 'null', 'n/a') then null else trim(phone) end as phone,
  nullif(trim(first_name), '') as first_name,
  nullif(trim(last_name), '') as last_name,
  cast(created_at as timestamp) as created_at,
  cast(updated_at as timestamp) as updated_at,
  nullif(trim(account_manager), '') as account_manager
from "raw"."customers"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_shop_customers')
;

ALTER TABLE "weft"."stg_shop_customers" RENAME TO "weft"."stg_shop_customers__weft_old"
;

ALTER TABLE "weft"."stg_shop_customers__weft_tmp" RENAME TO "weft"."stg_shop_customers"
;

DROP TABLE IF EXISTS "weft"."stg_shop_customers__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_shop_customers__weft_old"
;

SELECT count(*) AS row_count FROM "weft"."stg_shop_customers"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_shop_orders')
;

DROP TABLE IF EXISTS "weft"."stg_shop_orders__weft_new"
;

DROP TABLE IF EXISTS "weft"."stg_shop_orders__weft_changed"
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."stg_shop_orders__weft_new" AS
-- Orders, appended incrementally: a run after new source rows only reads orders newer than the
-- latest one already loaded. customer_id is NULL for guest checkouts.
select
  order_id,
  nullif(trim(customer_id), '') as customer_id,
  cast(amount as decimal(12, 2)) as amount,
  coalesce(upper(nullif(trim(currency), '')), 'USD') as currency,
  lower(trim(status)) as status,
  cast(created_at as timestamp) as created_at
from "raw"."orders"
 where created_at > (select max(created_at) from "weft"."stg_shop_orders")
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_shop_orders') ORDER BY ordinal_position
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_shop_orders__weft_new') ORDER BY ordinal_position
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."stg_shop_orders__weft_changed" AS
(
SELECT "order_id", "customer_id", "amount", "currency", "status", "created_at" FROM "weft"."stg_shop_orders__weft_new"
)
EXCEPT
(
SELECT "order_id", "customer_id", "amount", "currency", "status", "created_at" FROM "weft"."stg_shop_orders"
)
;

SELECT count(*) AS row_count FROM "weft"."stg_shop_orders__weft_changed"
;

SELECT count(*) AS row_count FROM "weft"."stg_shop_orders"
;

DROP TABLE IF EXISTS "weft"."stg_shop_orders__weft_new"
;

DROP TABLE IF EXISTS "weft"."stg_shop_orders__weft_changed"
;

DROP TABLE IF EXISTS "weft"."stg_support_tickets__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_support_tickets__weft_old"
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."stg_support_tickets__weft_tmp" AS
-- Helpdesk tickets; created_at arrives as ISO-8601 text from the API.
select
  ticket_id,
  case
    when lower(trim(replace(email, chr(9), ' '))) in ('', 'null', 'none', 'n/a') then null
    else trim(replace(email, chr(9), ' '))
  end as email,
  trim(subject) as subject,
  lower(trim(priority)) as priority,
  lower(trim(status)) as status,
  cast(created_at as timestamp) as created_at
from "raw"."tickets"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_support_tickets')
;

ALTER TABLE "weft"."stg_support_tickets" RENAME TO "weft"."stg_support_tickets__weft_old"
;

ALTER TABLE "weft"."stg_support_tickets__weft_tmp" RENAME TO "weft"."stg_support_tickets"
;

DROP TABLE IF EXISTS "weft"."stg_support_tickets__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_support_tickets__weft_old"
;

SELECT count(*) AS row_count FROM "weft"."stg_support_tickets"
;

DROP TABLE IF EXISTS "weft"."stg_web_events__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_web_events__weft_old"
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."stg_web_events__weft_tmp" AS
-- Website events. user_id (the shop's customer_id) is NULL until the cookie signs up or logs
-- in; the signup/login event carries both anonymous_id and user_id.
select
  event_id,
  nullif(trim(anonymous_id), '') as anonymous_id,
  nullif(trim(user_id), '') as user_id,
  lower(trim(event_type)) as event_type,
  url,
  cast(ts as timestamp) as occurred_at
from "raw"."events"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_web_events')
;

ALTER TABLE "weft"."stg_web_events" RENAME TO "weft"."stg_web_events__weft_old"
;

ALTER TABLE "weft"."stg_web_events__weft_tmp" RENAME TO "weft"."stg_web_events"
;

DROP TABLE IF EXISTS "weft"."stg_web_events__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."stg_web_events__weft_old"
;

SELECT count(*) AS row_count FROM "weft"."stg_web_events"
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_shop_customers') ORDER BY ordinal_position
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_shop_orders') ORDER BY ordinal_position
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_crm_contacts') ORDER BY ordinal_position
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_web_events') ORDER BY ordinal_position
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_support_tickets') ORDER BY ordinal_position
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_newsletter_signups') ORDER BY ordinal_position
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_app_events') ORDER BY ordinal_position
;

SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('stg_devices') ORDER BY ordinal_position
;

SELECT CASE WHEN CASE WHEN NOT (REGEXP_INSTR(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@gmail.com' OR CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END END LIKE '@%' THEN NULL ELSE CASE WHEN NOT (REGEXP_INSTR(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@gmail.com' OR CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END END END AS v
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('identity_map')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('identity_rows')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('identity_edges')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('profile_merges')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('identity_shared')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_meta')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_hubs')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_edges')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_nodes')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_src_0')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_src_1')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_src_2')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_src_3')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_src_4')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_src_5')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_src_6')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('identity_state_src_7')
;

SELECT key, value FROM "weft_state"."identity_state_meta"
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_diff_0" AS
SELECT k.*, s.in_state FROM (SELECT *, TRUE AS in_source FROM (SELECT CAST("customer_id" AS VARCHAR) AS row_key, '' AS fingerprint, CAST("updated_at" AS TIMESTAMP_NTZ) AS seen_at, NULLIF(TRIM(coalesce(lower(TRIM(CAST("first_name" AS VARCHAR), ' 	
')), '') || ' ' || coalesce(lower(TRIM(CAST("last_name" AS VARCHAR), ' 	
')), ''), ' '), '') AS name_key, CAST("customer_id" AS VARCHAR) AS raw_0, CAST("email" AS VARCHAR) AS raw_1, CAST("phone" AS VARCHAR) AS raw_2 FROM "weft"."stg_shop_customers") k0) k
    FULL OUTER JOIN (SELECT row_key, fingerprint, seen_at, TRUE AS in_state FROM "weft_state"."identity_state_src_0") s
      ON s.row_key = k.row_key AND s.fingerprint = k.fingerprint AND s.seen_at IS NOT DISTINCT FROM k.seen_at
    WHERE k.in_source IS NULL OR s.in_state IS NULL
;

SELECT count(*) AS n FROM "weft_session"."identity_work_diff_0" WHERE in_source IS NULL
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_wide_0" AS
SELECT row_key,
  fingerprint,
  seen_at,
  name_key,
  CASE WHEN raw_0 = norm_0 THEN NULL ELSE raw_0 END AS raw_0, norm_0, CASE WHEN raw_0 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_0) > 15 THEN FALSE ELSE c_0 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_0 LIKE '0%' OR c_0 LIKE '-%') THEN FALSE ELSE TRIM(c_0, '0-') = '' END) THEN 'junk'
      WHEN norm_0 IS NULL THEN 'invalid'
      WHEN FALSE THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_0,
  CASE WHEN raw_1 = norm_1 THEN NULL ELSE raw_1 END AS raw_1, norm_1, CASE WHEN raw_1 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_1) > 15 THEN FALSE ELSE c_1 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_1 LIKE '0%' OR c_1 LIKE '-%') THEN FALSE ELSE TRIM(c_1, '0-') = '' END) THEN 'junk'
      WHEN norm_1 IS NULL THEN 'invalid'
      WHEN (norm_1 IN ('test@test.com', 'a@a.com', 'email@email.com', 'example@example.com', 'none@none.com', 'null@null.com', 'no@no.com', 'user@domain.com', 'name@domain.com') OR norm_1 LIKE 'noemail@%' OR norm_1 LIKE 'no-email@%' OR norm_1 LIKE 'noreply@%' OR norm_1 LIKE 'no-reply@%' OR norm_1 LIKE 'donotreply@%' OR norm_1 LIKE 'do-not-reply@%' OR norm_1 LIKE '%@example.com' OR norm_1 LIKE '%@example.org' OR norm_1 LIKE '%@example.net' OR norm_1 LIKE '%@test.com') THEN 'junk'
      WHEN (norm_1 IN ('test@test.com') OR norm_1 LIKE '%@example.com') THEN 'blocklist' END AS reason_1,
  CASE WHEN raw_2 = norm_2 THEN NULL ELSE raw_2 END AS raw_2, norm_2, CASE WHEN raw_2 IS NULL THEN 'missing'
      WHEN (c_2 = '' OR (REGEXP_INSTR(c_2, '^[0-9]?(0{6,}|1{6,}|2{6,}|3{6,}|4{6,}|5{6,}|6{6,}|7{6,}|8{6,}|9{6,})$|^[01]?(1234567890|0123456789|123456789|9876543210)$') > 0)) THEN 'junk'
      WHEN norm_2 IS NULL THEN 'invalid'
      WHEN (REGEXP_INSTR(norm_2, '^\\+1[2-9][0-9]{2}55501[0-9]{2}$') > 0) THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_2 FROM (SELECT row_key, fingerprint, seen_at, name_key, raw_0, c_0, NULLIF(s1_0, '') AS norm_0, raw_1, c_1, CASE WHEN s1_1 LIKE '@%' THEN NULL ELSE s1_1 END AS norm_1, raw_2, c_2, CASE WHEN (REGEXP_INSTR(s1_2, '^(1[2-9][0-9]{9}|[2-9][0-9]{7,14})$') > 0) THEN '+' || s1_2 END AS norm_2 FROM (SELECT row_key, fingerprint, seen_at, name_key, raw_0, lower(s0_0) AS c_0, s0_0 AS s1_0, raw_1, s0_1 AS c_1, CASE WHEN NOT (REGEXP_INSTR(s0_1, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (s0_1 LIKE '%@gmail.com' OR s0_1 LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(s0_1, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE s0_1 END AS s1_1, raw_2, replace(s0_2, '+', '') AS c_2, CASE WHEN s0_2 LIKE '+%' THEN replace(s0_2, '+', '') WHEN s0_2 LIKE '00%' THEN REGEXP_REPLACE(s0_2, '^00|[^0-9]', '') ELSE CASE WHEN (REGEXP_INSTR(replace(s0_2, '+', ''), '^1[0-9]{10,}$') > 0) THEN replace(s0_2, '+', '') ELSE '1' || REGEXP_REPLACE(replace(s0_2, '+', ''), '^0+', '') END END AS s1_2 FROM (SELECT row_key, fingerprint, seen_at, name_key, raw_0, TRIM(raw_0, ' 	
') AS s0_0, raw_1, CASE WHEN (REGEXP_INSTR(lower(raw_1), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower(raw_1), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower(raw_1) END AS s0_1, raw_2, REGEXP_REPLACE(raw_2, '[^0-9+]', '') AS s0_2 FROM (SELECT DISTINCT row_key, fingerprint, seen_at, name_key, raw_0, raw_1, raw_2 FROM "weft_session"."identity_work_diff_0" WHERE in_state IS NULL) t0) t1) t2) normalized
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_diff_1" AS
SELECT k.*, s.in_state FROM (SELECT *, TRUE AS in_source FROM (SELECT CAST("order_id" AS VARCHAR) AS row_key, '' AS fingerprint, CAST("created_at" AS TIMESTAMP_NTZ) AS seen_at, CAST("customer_id" AS VARCHAR) AS raw_0 FROM "weft"."stg_shop_orders") k0) k
    FULL OUTER JOIN (SELECT row_key, fingerprint, seen_at, TRUE AS in_state FROM "weft_state"."identity_state_src_1") s
      ON s.row_key = k.row_key AND s.fingerprint = k.fingerprint AND s.seen_at IS NOT DISTINCT FROM k.seen_at
    WHERE k.in_source IS NULL OR s.in_state IS NULL
;

SELECT count(*) AS n FROM "weft_session"."identity_work_diff_1" WHERE in_source IS NULL
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_wide_1" AS
SELECT row_key,
  fingerprint,
  seen_at,
  CASE WHEN raw_0 = norm_0 THEN NULL ELSE raw_0 END AS raw_0, norm_0, CASE WHEN raw_0 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_0) > 15 THEN FALSE ELSE c_0 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_0 LIKE '0%' OR c_0 LIKE '-%') THEN FALSE ELSE TRIM(c_0, '0-') = '' END) THEN 'junk'
      WHEN norm_0 IS NULL THEN 'invalid'
      WHEN FALSE THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_0 FROM (SELECT row_key, fingerprint, seen_at, raw_0, c_0, NULLIF(s1_0, '') AS norm_0 FROM (SELECT row_key, fingerprint, seen_at, raw_0, lower(s0_0) AS c_0, s0_0 AS s1_0 FROM (SELECT row_key, fingerprint, seen_at, raw_0, TRIM(raw_0, ' 	
') AS s0_0 FROM (SELECT DISTINCT row_key, fingerprint, seen_at, raw_0 FROM "weft_session"."identity_work_diff_1" WHERE in_state IS NULL) t0) t1) t2) normalized
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_diff_2" AS
SELECT k.*, s.in_state FROM (SELECT *, TRUE AS in_source FROM (SELECT CAST("contact_id" AS VARCHAR) AS row_key, '' AS fingerprint, CAST("updated_at" AS TIMESTAMP_NTZ) AS seen_at, NULLIF(TRIM(coalesce(lower(TRIM(CAST("first_name" AS VARCHAR), ' 	
')), '') || ' ' || coalesce(lower(TRIM(CAST("last_name" AS VARCHAR), ' 	
')), ''), ' '), '') AS name_key, CAST("email" AS VARCHAR) AS raw_1, CAST("phone" AS VARCHAR) AS raw_2 FROM "weft"."stg_crm_contacts") k0) k
    FULL OUTER JOIN (SELECT row_key, fingerprint, seen_at, TRUE AS in_state FROM "weft_state"."identity_state_src_2") s
      ON s.row_key = k.row_key AND s.fingerprint = k.fingerprint AND s.seen_at IS NOT DISTINCT FROM k.seen_at
    WHERE k.in_source IS NULL OR s.in_state IS NULL
;

SELECT count(*) AS n FROM "weft_session"."identity_work_diff_2" WHERE in_source IS NULL
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_wide_2" AS
SELECT row_key,
  fingerprint,
  seen_at,
  name_key,
  CASE WHEN raw_1 = norm_1 THEN NULL ELSE raw_1 END AS raw_1, norm_1, CASE WHEN raw_1 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_1) > 15 THEN FALSE ELSE c_1 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_1 LIKE '0%' OR c_1 LIKE '-%') THEN FALSE ELSE TRIM(c_1, '0-') = '' END) THEN 'junk'
      WHEN norm_1 IS NULL THEN 'invalid'
      WHEN (norm_1 IN ('test@test.com', 'a@a.com', 'email@email.com', 'example@example.com', 'none@none.com', 'null@null.com', 'no@no.com', 'user@domain.com', 'name@domain.com') OR norm_1 LIKE 'noemail@%' OR norm_1 LIKE 'no-email@%' OR norm_1 LIKE 'noreply@%' OR norm_1 LIKE 'no-reply@%' OR norm_1 LIKE 'donotreply@%' OR norm_1 LIKE 'do-not-reply@%' OR norm_1 LIKE '%@example.com' OR norm_1 LIKE '%@example.org' OR norm_1 LIKE '%@example.net' OR norm_1 LIKE '%@test.com') THEN 'junk'
      WHEN (norm_1 IN ('test@test.com') OR norm_1 LIKE '%@example.com') THEN 'blocklist' END AS reason_1,
  CASE WHEN raw_2 = norm_2 THEN NULL ELSE raw_2 END AS raw_2, norm_2, CASE WHEN raw_2 IS NULL THEN 'missing'
      WHEN (c_2 = '' OR (REGEXP_INSTR(c_2, '^[0-9]?(0{6,}|1{6,}|2{6,}|3{6,}|4{6,}|5{6,}|6{6,}|7{6,}|8{6,}|9{6,})$|^[01]?(1234567890|0123456789|123456789|9876543210)$') > 0)) THEN 'junk'
      WHEN norm_2 IS NULL THEN 'invalid'
      WHEN (REGEXP_INSTR(norm_2, '^\\+1[2-9][0-9]{2}55501[0-9]{2}$') > 0) THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_2 FROM (SELECT row_key, fingerprint, seen_at, name_key, raw_1, c_1, CASE WHEN s1_1 LIKE '@%' THEN NULL ELSE s1_1 END AS norm_1, raw_2, c_2, CASE WHEN (REGEXP_INSTR(s1_2, '^(1[2-9][0-9]{9}|[2-9][0-9]{7,14})$') > 0) THEN '+' || s1_2 END AS norm_2 FROM (SELECT row_key, fingerprint, seen_at, name_key, raw_1, s0_1 AS c_1, CASE WHEN NOT (REGEXP_INSTR(s0_1, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (s0_1 LIKE '%@gmail.com' OR s0_1 LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(s0_1, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE s0_1 END AS s1_1, raw_2, replace(s0_2, '+', '') AS c_2, CASE WHEN s0_2 LIKE '+%' THEN replace(s0_2, '+', '') WHEN s0_2 LIKE '00%' THEN REGEXP_REPLACE(s0_2, '^00|[^0-9]', '') ELSE CASE WHEN (REGEXP_INSTR(replace(s0_2, '+', ''), '^1[0-9]{10,}$') > 0) THEN replace(s0_2, '+', '') ELSE '1' || REGEXP_REPLACE(replace(s0_2, '+', ''), '^0+', '') END END AS s1_2 FROM (SELECT row_key, fingerprint, seen_at, name_key, raw_1, CASE WHEN (REGEXP_INSTR(lower(raw_1), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower(raw_1), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower(raw_1) END AS s0_1, raw_2, REGEXP_REPLACE(raw_2, '[^0-9+]', '') AS s0_2 FROM (SELECT DISTINCT row_key, fingerprint, seen_at, name_key, raw_1, raw_2 FROM "weft_session"."identity_work_diff_2" WHERE in_state IS NULL) t0) t1) t2) normalized
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_diff_3" AS
SELECT k.*, s.in_state FROM (SELECT *, TRUE AS in_source FROM (SELECT CAST("event_id" AS VARCHAR) AS row_key, '' AS fingerprint, CAST("occurred_at" AS TIMESTAMP_NTZ) AS seen_at, CAST("user_id" AS VARCHAR) AS raw_0, CAST("anonymous_id" AS VARCHAR) AS raw_3 FROM "weft"."stg_web_events") k0) k
    FULL OUTER JOIN (SELECT row_key, fingerprint, seen_at, TRUE AS in_state FROM "weft_state"."identity_state_src_3") s
      ON s.row_key = k.row_key AND s.fingerprint = k.fingerprint AND s.seen_at IS NOT DISTINCT FROM k.seen_at
    WHERE k.in_source IS NULL OR s.in_state IS NULL
;

SELECT count(*) AS n FROM "weft_session"."identity_work_diff_3" WHERE in_source IS NULL
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_wide_3" AS
SELECT row_key,
  fingerprint,
  seen_at,
  CASE WHEN raw_0 = norm_0 THEN NULL ELSE raw_0 END AS raw_0, norm_0, CASE WHEN raw_0 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_0) > 15 THEN FALSE ELSE c_0 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_0 LIKE '0%' OR c_0 LIKE '-%') THEN FALSE ELSE TRIM(c_0, '0-') = '' END) THEN 'junk'
      WHEN norm_0 IS NULL THEN 'invalid'
      WHEN FALSE THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_0,
  CASE WHEN raw_3 = norm_3 THEN NULL ELSE raw_3 END AS raw_3, norm_3, CASE WHEN raw_3 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_3) > 15 THEN FALSE ELSE c_3 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_3 LIKE '0%' OR c_3 LIKE '-%') THEN FALSE ELSE TRIM(c_3, '0-') = '' END) THEN 'junk'
      WHEN norm_3 IS NULL THEN 'invalid'
      WHEN FALSE THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_3 FROM (SELECT row_key, fingerprint, seen_at, raw_0, c_0, NULLIF(s1_0, '') AS norm_0, raw_3, c_3, NULLIF(s1_3, '') AS norm_3 FROM (SELECT row_key, fingerprint, seen_at, raw_0, lower(s0_0) AS c_0, s0_0 AS s1_0, raw_3, lower(s0_3) AS c_3, s0_3 AS s1_3 FROM (SELECT row_key, fingerprint, seen_at, raw_0, TRIM(raw_0, ' 	
') AS s0_0, raw_3, TRIM(raw_3, ' 	
') AS s0_3 FROM (SELECT DISTINCT row_key, fingerprint, seen_at, raw_0, raw_3 FROM "weft_session"."identity_work_diff_3" WHERE in_state IS NULL) t0) t1) t2) normalized
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_diff_4" AS
SELECT k.*, s.in_state FROM (SELECT *, TRUE AS in_source FROM (SELECT CAST("ticket_id" AS VARCHAR) AS row_key, '' AS fingerprint, CAST("created_at" AS TIMESTAMP_NTZ) AS seen_at, CAST("email" AS VARCHAR) AS raw_1 FROM "weft"."stg_support_tickets") k0) k
    FULL OUTER JOIN (SELECT row_key, fingerprint, seen_at, TRUE AS in_state FROM "weft_state"."identity_state_src_4") s
      ON s.row_key = k.row_key AND s.fingerprint = k.fingerprint AND s.seen_at IS NOT DISTINCT FROM k.seen_at
    WHERE k.in_source IS NULL OR s.in_state IS NULL
;

SELECT count(*) AS n FROM "weft_session"."identity_work_diff_4" WHERE in_source IS NULL
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_wide_4" AS
SELECT row_key,
  fingerprint,
  seen_at,
  CASE WHEN raw_1 = norm_1 THEN NULL ELSE raw_1 END AS raw_1, norm_1, CASE WHEN raw_1 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_1) > 15 THEN FALSE ELSE c_1 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_1 LIKE '0%' OR c_1 LIKE '-%') THEN FALSE ELSE TRIM(c_1, '0-') = '' END) THEN 'junk'
      WHEN norm_1 IS NULL THEN 'invalid'
      WHEN (norm_1 IN ('test@test.com', 'a@a.com', 'email@email.com', 'example@example.com', 'none@none.com', 'null@null.com', 'no@no.com', 'user@domain.com', 'name@domain.com') OR norm_1 LIKE 'noemail@%' OR norm_1 LIKE 'no-email@%' OR norm_1 LIKE 'noreply@%' OR norm_1 LIKE 'no-reply@%' OR norm_1 LIKE 'donotreply@%' OR norm_1 LIKE 'do-not-reply@%' OR norm_1 LIKE '%@example.com' OR norm_1 LIKE '%@example.org' OR norm_1 LIKE '%@example.net' OR norm_1 LIKE '%@test.com') THEN 'junk'
      WHEN (norm_1 IN ('test@test.com') OR norm_1 LIKE '%@example.com') THEN 'blocklist' END AS reason_1 FROM (SELECT row_key, fingerprint, seen_at, raw_1, c_1, CASE WHEN s1_1 LIKE '@%' THEN NULL ELSE s1_1 END AS norm_1 FROM (SELECT row_key, fingerprint, seen_at, raw_1, s0_1 AS c_1, CASE WHEN NOT (REGEXP_INSTR(s0_1, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (s0_1 LIKE '%@gmail.com' OR s0_1 LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(s0_1, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE s0_1 END AS s1_1 FROM (SELECT row_key, fingerprint, seen_at, raw_1, CASE WHEN (REGEXP_INSTR(lower(raw_1), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower(raw_1), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower(raw_1) END AS s0_1 FROM (SELECT DISTINCT row_key, fingerprint, seen_at, raw_1 FROM "weft_session"."identity_work_diff_4" WHERE in_state IS NULL) t0) t1) t2) normalized
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_diff_5" AS
SELECT k.*, s.in_state FROM (SELECT *, TRUE AS in_source FROM (SELECT CAST("signup_id" AS VARCHAR) AS row_key, '' AS fingerprint, CAST("subscribed_at" AS TIMESTAMP_NTZ) AS seen_at, CAST("email" AS VARCHAR) AS raw_1 FROM "weft"."stg_newsletter_signups") k0) k
    FULL OUTER JOIN (SELECT row_key, fingerprint, seen_at, TRUE AS in_state FROM "weft_state"."identity_state_src_5") s
      ON s.row_key = k.row_key AND s.fingerprint = k.fingerprint AND s.seen_at IS NOT DISTINCT FROM k.seen_at
    WHERE k.in_source IS NULL OR s.in_state IS NULL
;

SELECT count(*) AS n FROM "weft_session"."identity_work_diff_5" WHERE in_source IS NULL
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_wide_5" AS
SELECT row_key,
  fingerprint,
  seen_at,
  CASE WHEN raw_1 = norm_1 THEN NULL ELSE raw_1 END AS raw_1, norm_1, CASE WHEN raw_1 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_1) > 15 THEN FALSE ELSE c_1 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_1 LIKE '0%' OR c_1 LIKE '-%') THEN FALSE ELSE TRIM(c_1, '0-') = '' END) THEN 'junk'
      WHEN norm_1 IS NULL THEN 'invalid'
      WHEN (norm_1 IN ('test@test.com', 'a@a.com', 'email@email.com', 'example@example.com', 'none@none.com', 'null@null.com', 'no@no.com', 'user@domain.com', 'name@domain.com') OR norm_1 LIKE 'noemail@%' OR norm_1 LIKE 'no-email@%' OR norm_1 LIKE 'noreply@%' OR norm_1 LIKE 'no-reply@%' OR norm_1 LIKE 'donotreply@%' OR norm_1 LIKE 'do-not-reply@%' OR norm_1 LIKE '%@example.com' OR norm_1 LIKE '%@example.org' OR norm_1 LIKE '%@example.net' OR norm_1 LIKE '%@test.com') THEN 'junk'
      WHEN (norm_1 IN ('test@test.com') OR norm_1 LIKE '%@example.com') THEN 'blocklist' END AS reason_1 FROM (SELECT row_key, fingerprint, seen_at, raw_1, c_1, CASE WHEN s1_1 LIKE '@%' THEN NULL ELSE s1_1 END AS norm_1 FROM (SELECT row_key, fingerprint, seen_at, raw_1, s0_1 AS c_1, CASE WHEN NOT (REGEXP_INSTR(s0_1, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (s0_1 LIKE '%@gmail.com' OR s0_1 LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(s0_1, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE s0_1 END AS s1_1 FROM (SELECT row_key, fingerprint, seen_at, raw_1, CASE WHEN (REGEXP_INSTR(lower(raw_1), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower(raw_1), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower(raw_1) END AS s0_1 FROM (SELECT DISTINCT row_key, fingerprint, seen_at, raw_1 FROM "weft_session"."identity_work_diff_5" WHERE in_state IS NULL) t0) t1) t2) normalized
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_diff_6" AS
SELECT k.*, s.in_state FROM (SELECT *, TRUE AS in_source FROM (SELECT CAST("event_id" AS VARCHAR) AS row_key, '' AS fingerprint, CAST("occurred_at" AS TIMESTAMP_NTZ) AS seen_at, CAST("user_id" AS VARCHAR) AS raw_0, CAST("device_id" AS VARCHAR) AS raw_4 FROM "weft"."stg_app_events") k0) k
    FULL OUTER JOIN (SELECT row_key, fingerprint, seen_at, TRUE AS in_state FROM "weft_state"."identity_state_src_6") s
      ON s.row_key = k.row_key AND s.fingerprint = k.fingerprint AND s.seen_at IS NOT DISTINCT FROM k.seen_at
    WHERE k.in_source IS NULL OR s.in_state IS NULL
;

SELECT count(*) AS n FROM "weft_session"."identity_work_diff_6" WHERE in_source IS NULL
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_wide_6" AS
SELECT row_key,
  fingerprint,
  seen_at,
  CASE WHEN raw_0 = norm_0 THEN NULL ELSE raw_0 END AS raw_0, norm_0, CASE WHEN raw_0 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_0) > 15 THEN FALSE ELSE c_0 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_0 LIKE '0%' OR c_0 LIKE '-%') THEN FALSE ELSE TRIM(c_0, '0-') = '' END) THEN 'junk'
      WHEN norm_0 IS NULL THEN 'invalid'
      WHEN FALSE THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_0,
  CASE WHEN raw_4 = norm_4 THEN NULL ELSE raw_4 END AS raw_4, norm_4, CASE WHEN raw_4 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_4) > 15 THEN FALSE ELSE c_4 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_4 LIKE '0%' OR c_4 LIKE '-%') THEN FALSE ELSE TRIM(c_4, '0-') = '' END) THEN 'junk'
      WHEN norm_4 IS NULL THEN 'invalid'
      WHEN FALSE THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_4 FROM (SELECT row_key, fingerprint, seen_at, raw_0, c_0, NULLIF(s1_0, '') AS norm_0, raw_4, c_4, NULLIF(s1_4, '') AS norm_4 FROM (SELECT row_key, fingerprint, seen_at, raw_0, lower(s0_0) AS c_0, s0_0 AS s1_0, raw_4, lower(s0_4) AS c_4, s0_4 AS s1_4 FROM (SELECT row_key, fingerprint, seen_at, raw_0, TRIM(raw_0, ' 	
') AS s0_0, raw_4, TRIM(raw_4, ' 	
') AS s0_4 FROM (SELECT DISTINCT row_key, fingerprint, seen_at, raw_0, raw_4 FROM "weft_session"."identity_work_diff_6" WHERE in_state IS NULL) t0) t1) t2) normalized
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_diff_7" AS
SELECT k.*, s.in_state FROM (SELECT *, TRUE AS in_source FROM (SELECT CAST("device_id" AS VARCHAR) AS row_key, '' AS fingerprint, CAST("installed_at" AS TIMESTAMP_NTZ) AS seen_at, CAST("customer_id" AS VARCHAR) AS raw_0, CAST("device_id" AS VARCHAR) AS raw_4 FROM "weft"."stg_devices") k0) k
    FULL OUTER JOIN (SELECT row_key, fingerprint, seen_at, TRUE AS in_state FROM "weft_state"."identity_state_src_7") s
      ON s.row_key = k.row_key AND s.fingerprint = k.fingerprint AND s.seen_at IS NOT DISTINCT FROM k.seen_at
    WHERE k.in_source IS NULL OR s.in_state IS NULL
;

SELECT count(*) AS n FROM "weft_session"."identity_work_diff_7" WHERE in_source IS NULL
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_wide_7" AS
SELECT row_key,
  fingerprint,
  seen_at,
  CASE WHEN raw_0 = norm_0 THEN NULL ELSE raw_0 END AS raw_0, norm_0, CASE WHEN raw_0 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_0) > 15 THEN FALSE ELSE c_0 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_0 LIKE '0%' OR c_0 LIKE '-%') THEN FALSE ELSE TRIM(c_0, '0-') = '' END) THEN 'junk'
      WHEN norm_0 IS NULL THEN 'invalid'
      WHEN FALSE THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_0,
  CASE WHEN raw_4 = norm_4 THEN NULL ELSE raw_4 END AS raw_4, norm_4, CASE WHEN raw_4 IS NULL THEN 'missing'
      WHEN (CASE WHEN length(c_4) > 15 THEN FALSE ELSE c_4 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (c_4 LIKE '0%' OR c_4 LIKE '-%') THEN FALSE ELSE TRIM(c_4, '0-') = '' END) THEN 'junk'
      WHEN norm_4 IS NULL THEN 'invalid'
      WHEN FALSE THEN 'junk'
      WHEN FALSE THEN 'blocklist' END AS reason_4 FROM (SELECT row_key, fingerprint, seen_at, raw_0, c_0, NULLIF(s1_0, '') AS norm_0, raw_4, c_4, NULLIF(s1_4, '') AS norm_4 FROM (SELECT row_key, fingerprint, seen_at, raw_0, lower(s0_0) AS c_0, s0_0 AS s1_0, raw_4, lower(s0_4) AS c_4, s0_4 AS s1_4 FROM (SELECT row_key, fingerprint, seen_at, raw_0, TRIM(raw_0, ' 	
') AS s0_0, raw_4, TRIM(raw_4, ' 	
') AS s0_4 FROM (SELECT DISTINCT row_key, fingerprint, seen_at, raw_0, raw_4 FROM "weft_session"."identity_work_diff_7" WHERE in_state IS NULL) t0) t1) t2) normalized
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_hub_candidates" AS
SELECT DISTINCT low_type, low_value, high_type FROM ((SELECT 'email' AS low_type, norm_1 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_0" w WHERE reason_0 IS NULL AND reason_1 IS NULL)
UNION ALL
(SELECT 'phone' AS low_type, norm_2 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_0" w WHERE reason_0 IS NULL AND reason_2 IS NULL)
UNION ALL
(SELECT 'phone' AS low_type, norm_2 AS low_value, 'email' AS high_type, norm_1 AS high_value
         FROM "weft_session"."identity_work_wide_0" w WHERE reason_1 IS NULL AND reason_2 IS NULL)
UNION ALL
(SELECT 'phone' AS low_type, norm_2 AS low_value, 'email' AS high_type, norm_1 AS high_value
         FROM "weft_session"."identity_work_wide_2" w WHERE reason_1 IS NULL AND reason_2 IS NULL)
UNION ALL
(SELECT 'anonymous_id' AS low_type, norm_3 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_3" w WHERE reason_0 IS NULL AND reason_3 IS NULL)
UNION ALL
(SELECT 'device_id' AS low_type, norm_4 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_6" w WHERE reason_0 IS NULL AND reason_4 IS NULL)
UNION ALL
(SELECT 'device_id' AS low_type, norm_4 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_7" w WHERE reason_0 IS NULL AND reason_4 IS NULL)) p
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_hubs_new" AS
SELECT low_type AS id_type, low_value AS id_value, max(partners) AS partners, 'hub' AS reason FROM (
       SELECT low_type, low_value, high_type, count(DISTINCT high_value) AS partners FROM ((SELECT 'email' AS low_type, norm_1 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_0" w WHERE reason_0 IS NULL AND reason_1 IS NULL)
UNION ALL
(SELECT 'phone' AS low_type, norm_2 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_0" w WHERE reason_0 IS NULL AND reason_2 IS NULL)
UNION ALL
(SELECT 'phone' AS low_type, norm_2 AS low_value, 'email' AS high_type, norm_1 AS high_value
         FROM "weft_session"."identity_work_wide_0" w WHERE reason_1 IS NULL AND reason_2 IS NULL)
UNION ALL
(SELECT 'phone' AS low_type, norm_2 AS low_value, 'email' AS high_type, norm_1 AS high_value
         FROM "weft_session"."identity_work_wide_2" w WHERE reason_1 IS NULL AND reason_2 IS NULL)
UNION ALL
(SELECT 'anonymous_id' AS low_type, norm_3 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_3" w WHERE reason_0 IS NULL AND reason_3 IS NULL)
UNION ALL
(SELECT 'device_id' AS low_type, norm_4 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_6" w WHERE reason_0 IS NULL AND reason_4 IS NULL)
UNION ALL
(SELECT 'device_id' AS low_type, norm_4 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_session"."identity_work_wide_7" w WHERE reason_0 IS NULL AND reason_4 IS NULL)
UNION ALL
(SELECT 'email' AS low_type, norm_1 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_state"."identity_state_src_0" w WHERE reason_0 IS NULL AND reason_1 IS NULL AND norm_1 IN (SELECT low_value FROM "weft_session"."identity_work_hub_candidates" WHERE low_type = 'email' AND high_type = 'user_id'))
UNION ALL
(SELECT 'phone' AS low_type, norm_2 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_state"."identity_state_src_0" w WHERE reason_0 IS NULL AND reason_2 IS NULL AND norm_2 IN (SELECT low_value FROM "weft_session"."identity_work_hub_candidates" WHERE low_type = 'phone' AND high_type = 'user_id'))
UNION ALL
(SELECT 'phone' AS low_type, norm_2 AS low_value, 'email' AS high_type, norm_1 AS high_value
         FROM "weft_state"."identity_state_src_0" w WHERE reason_1 IS NULL AND reason_2 IS NULL AND norm_2 IN (SELECT low_value FROM "weft_session"."identity_work_hub_candidates" WHERE low_type = 'phone' AND high_type = 'email'))
UNION ALL
(SELECT 'phone' AS low_type, norm_2 AS low_value, 'email' AS high_type, norm_1 AS high_value
         FROM "weft_state"."identity_state_src_2" w WHERE reason_1 IS NULL AND reason_2 IS NULL AND norm_2 IN (SELECT low_value FROM "weft_session"."identity_work_hub_candidates" WHERE low_type = 'phone' AND high_type = 'email'))
UNION ALL
(SELECT 'anonymous_id' AS low_type, norm_3 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_state"."identity_state_src_3" w WHERE reason_0 IS NULL AND reason_3 IS NULL AND norm_3 IN (SELECT low_value FROM "weft_session"."identity_work_hub_candidates" WHERE low_type = 'anonymous_id' AND high_type = 'user_id'))
UNION ALL
(SELECT 'device_id' AS low_type, norm_4 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_state"."identity_state_src_6" w WHERE reason_0 IS NULL AND reason_4 IS NULL AND norm_4 IN (SELECT low_value FROM "weft_session"."identity_work_hub_candidates" WHERE low_type = 'device_id' AND high_type = 'user_id'))
UNION ALL
(SELECT 'device_id' AS low_type, norm_4 AS low_value, 'user_id' AS high_type, norm_0 AS high_value
         FROM "weft_state"."identity_state_src_7" w WHERE reason_0 IS NULL AND reason_4 IS NULL AND norm_4 IN (SELECT low_value FROM "weft_session"."identity_work_hub_candidates" WHERE low_type = 'device_id' AND high_type = 'user_id'))) linked
       GROUP BY low_type, low_value, high_type HAVING count(DISTINCT high_value) > CASE low_type WHEN 'user_id' THEN 10 WHEN 'email' THEN 10 WHEN 'phone' THEN 10 WHEN 'anonymous_id' THEN 10 WHEN 'device_id' THEN 10 ELSE NULL END
     ) counted
     WHERE NOT EXISTS (SELECT 1 FROM "weft_state"."identity_state_hubs" h WHERE h.id_type = counted.low_type AND h.id_value = counted.low_value)
     GROUP BY low_type, low_value
;

SELECT count(*) AS n FROM "weft_session"."identity_work_hubs_new"
;

SELECT count(*) AS n FROM "weft_session"."identity_work_wide_0"
;

SELECT count(*) AS n FROM "weft_session"."identity_work_wide_1"
;

SELECT count(*) AS n FROM "weft_session"."identity_work_wide_2"
;

SELECT count(*) AS n FROM "weft_session"."identity_work_wide_3"
;

SELECT count(*) AS n FROM "weft_session"."identity_work_wide_4"
;

SELECT count(*) AS n FROM "weft_session"."identity_work_wide_5"
;

SELECT count(*) AS n FROM "weft_session"."identity_work_wide_6"
;

SELECT count(*) AS n FROM "weft_session"."identity_work_wide_7"
;

DELETE FROM "weft_state"."identity_state_meta"
;

INSERT INTO "weft_state"."identity_state_meta" (key, value) VALUES ('status', 'dirty'), ('config_hash', '04b7304140e1c444eea42a436f337886ce1f229a020c752b8ca94661ebef5838')
;

INSERT INTO "weft_state"."identity_state_hubs" ("id_type", "id_value", "partners", "reason")
SELECT id_type, id_value, partners, reason FROM "weft_session"."identity_work_hubs_new"
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_edges_new" AS
SELECT source, a_type, a_value, b_type, b_value, min(row_key) AS row_key, min(seen_at) AS first_seen_at,
       max(seen_at) AS last_seen_at, count(*) AS row_count, (a_hub OR b_hub) AS hub
     FROM ((SELECT 'stg_shop_customers' AS source, row_key, seen_at, a_type, a_value, a_hub, 'user_id' AS b_type, norm_0 AS b_value, hub_0 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 1 THEN norm_1 WHEN 2 THEN norm_2 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 1 THEN hub_1 WHEN 2 THEN hub_2 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_2 IS NULL AND NOT hub_2 THEN 2 WHEN reason_0 IS NULL THEN 0 WHEN reason_1 IS NULL THEN 1 WHEN reason_2 IS NULL THEN 2 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f) a) x WHERE reason_0 IS NULL AND anchor_p <> 0)
UNION ALL
(SELECT 'stg_shop_customers' AS source, row_key, seen_at, a_type, a_value, a_hub, 'email' AS b_type, norm_1 AS b_value, hub_1 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 1 THEN norm_1 WHEN 2 THEN norm_2 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 1 THEN hub_1 WHEN 2 THEN hub_2 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_2 IS NULL AND NOT hub_2 THEN 2 WHEN reason_0 IS NULL THEN 0 WHEN reason_1 IS NULL THEN 1 WHEN reason_2 IS NULL THEN 2 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f) a) x WHERE reason_1 IS NULL AND anchor_p <> 1)
UNION ALL
(SELECT 'stg_shop_customers' AS source, row_key, seen_at, a_type, a_value, a_hub, 'phone' AS b_type, norm_2 AS b_value, hub_2 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 1 THEN norm_1 WHEN 2 THEN norm_2 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 1 THEN hub_1 WHEN 2 THEN hub_2 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_2 IS NULL AND NOT hub_2 THEN 2 WHEN reason_0 IS NULL THEN 0 WHEN reason_1 IS NULL THEN 1 WHEN reason_2 IS NULL THEN 2 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f) a) x WHERE reason_2 IS NULL AND anchor_p <> 2)
UNION ALL
(SELECT 'stg_crm_contacts' AS source, row_key, seen_at, a_type, a_value, a_hub, 'email' AS b_type, norm_1 AS b_value, hub_1 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END AS a_type, CASE anchor_p WHEN 1 THEN norm_1 WHEN 2 THEN norm_2 END AS a_value, CASE anchor_p WHEN 1 THEN hub_1 WHEN 2 THEN hub_2 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_2 IS NULL AND NOT hub_2 THEN 2 WHEN reason_1 IS NULL THEN 1 WHEN reason_2 IS NULL THEN 2 END AS anchor_p FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_2" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f) a) x WHERE reason_1 IS NULL AND anchor_p <> 1)
UNION ALL
(SELECT 'stg_crm_contacts' AS source, row_key, seen_at, a_type, a_value, a_hub, 'phone' AS b_type, norm_2 AS b_value, hub_2 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END AS a_type, CASE anchor_p WHEN 1 THEN norm_1 WHEN 2 THEN norm_2 END AS a_value, CASE anchor_p WHEN 1 THEN hub_1 WHEN 2 THEN hub_2 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_2 IS NULL AND NOT hub_2 THEN 2 WHEN reason_1 IS NULL THEN 1 WHEN reason_2 IS NULL THEN 2 END AS anchor_p FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_2" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f) a) x WHERE reason_2 IS NULL AND anchor_p <> 2)
UNION ALL
(SELECT 'stg_web_events' AS source, row_key, seen_at, a_type, a_value, a_hub, 'user_id' AS b_type, norm_0 AS b_value, hub_0 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 3 THEN 'anonymous_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 3 THEN norm_3 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 3 THEN hub_3 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_3 IS NULL AND NOT hub_3 THEN 3 WHEN reason_0 IS NULL THEN 0 WHEN reason_3 IS NULL THEN 3 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h3.id_value IS NOT NULL) AS hub_3, h3.reason AS hubr_3 FROM "weft_session"."identity_work_wide_3" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h3 ON h3.id_type = 'anonymous_id' AND h3.id_value = w.norm_3) f) a) x WHERE reason_0 IS NULL AND anchor_p <> 0)
UNION ALL
(SELECT 'stg_web_events' AS source, row_key, seen_at, a_type, a_value, a_hub, 'anonymous_id' AS b_type, norm_3 AS b_value, hub_3 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 3 THEN 'anonymous_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 3 THEN norm_3 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 3 THEN hub_3 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_3 IS NULL AND NOT hub_3 THEN 3 WHEN reason_0 IS NULL THEN 0 WHEN reason_3 IS NULL THEN 3 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h3.id_value IS NOT NULL) AS hub_3, h3.reason AS hubr_3 FROM "weft_session"."identity_work_wide_3" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h3 ON h3.id_type = 'anonymous_id' AND h3.id_value = w.norm_3) f) a) x WHERE reason_3 IS NULL AND anchor_p <> 3)
UNION ALL
(SELECT 'stg_app_events' AS source, row_key, seen_at, a_type, a_value, a_hub, 'user_id' AS b_type, norm_0 AS b_value, hub_0 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 4 THEN 'device_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 4 THEN norm_4 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 4 THEN hub_4 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_4 IS NULL AND NOT hub_4 THEN 4 WHEN reason_0 IS NULL THEN 0 WHEN reason_4 IS NULL THEN 4 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_6" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f) a) x WHERE reason_0 IS NULL AND anchor_p <> 0)
UNION ALL
(SELECT 'stg_app_events' AS source, row_key, seen_at, a_type, a_value, a_hub, 'device_id' AS b_type, norm_4 AS b_value, hub_4 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 4 THEN 'device_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 4 THEN norm_4 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 4 THEN hub_4 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_4 IS NULL AND NOT hub_4 THEN 4 WHEN reason_0 IS NULL THEN 0 WHEN reason_4 IS NULL THEN 4 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_6" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f) a) x WHERE reason_4 IS NULL AND anchor_p <> 4)
UNION ALL
(SELECT 'stg_devices' AS source, row_key, seen_at, a_type, a_value, a_hub, 'user_id' AS b_type, norm_0 AS b_value, hub_0 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 4 THEN 'device_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 4 THEN norm_4 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 4 THEN hub_4 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_4 IS NULL AND NOT hub_4 THEN 4 WHEN reason_0 IS NULL THEN 0 WHEN reason_4 IS NULL THEN 4 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_7" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f) a) x WHERE reason_0 IS NULL AND anchor_p <> 0)
UNION ALL
(SELECT 'stg_devices' AS source, row_key, seen_at, a_type, a_value, a_hub, 'device_id' AS b_type, norm_4 AS b_value, hub_4 AS b_hub
         FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 4 THEN 'device_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 4 THEN norm_4 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 4 THEN hub_4 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_4 IS NULL AND NOT hub_4 THEN 4 WHEN reason_0 IS NULL THEN 0 WHEN reason_4 IS NULL THEN 4 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_7" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f) a) x WHERE reason_4 IS NULL AND anchor_p <> 4)) e GROUP BY source, a_type, a_value, b_type, b_value, a_hub, b_hub
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_edges_merged" AS
SELECT source, a_type, a_value, b_type, b_value, min(row_key) AS row_key, min(first_seen_at) AS first_seen_at,
       max(last_seen_at) AS last_seen_at, sum(row_count) AS row_count, hub
     FROM (SELECT source, a_type, a_value, b_type, b_value, row_key, first_seen_at, last_seen_at, row_count, hub FROM "weft_session"."identity_work_edges_new"
       UNION ALL SELECT s.source, s.a_type, s.a_value, s.b_type, s.b_value, s.row_key, s.first_seen_at, s.last_seen_at, s.row_count, s.hub FROM "weft_state"."identity_state_edges" s
       WHERE EXISTS (SELECT 1 FROM "weft_session"."identity_work_edges_new" f WHERE f.source = s.source AND f.a_type = s.a_type AND f.a_value = s.a_value AND f.b_type = s.b_type AND f.b_value = s.b_value)) e
     GROUP BY source, a_type, a_value, b_type, b_value, hub
;

DELETE FROM "weft_state"."identity_state_edges" AS weft_target WHERE EXISTS (SELECT 1 FROM "weft_session"."identity_work_edges_merged" AS weft_source WHERE weft_source."source" = weft_target."source" AND weft_source."a_type" = weft_target."a_type" AND weft_source."a_value" = weft_target."a_value" AND weft_source."b_type" = weft_target."b_type" AND weft_source."b_value" = weft_target."b_value")
;

INSERT INTO "weft_state"."identity_state_edges" ("source", "a_type", "a_value", "b_type", "b_value", "row_key", "first_seen_at", "last_seen_at", "row_count", "hub")
SELECT "source", "a_type", "a_value", "b_type", "b_value", "row_key", "first_seen_at", "last_seen_at", "row_count", "hub" FROM "weft_session"."identity_work_edges_merged"
;

SELECT coalesce(max(node_id), 0) AS n FROM "weft_state"."identity_state_nodes"
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_nodes_touched" AS
SELECT node_id, id_type, id_value, priority, first_seen_at, last_seen_at, coalesce(old_label, node_id) AS label FROM (
     SELECT coalesce(n.node_id, 654 + row_number() OVER (PARTITION BY n.node_id IS NULL ORDER BY s.first_seen_at NULLS LAST, CASE s.id_type WHEN 'user_id' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 WHEN 'anonymous_id' THEN 3 WHEN 'device_id' THEN 4 ELSE NULL END, s.id_type, s.id_value)) AS node_id,
       s.id_type, s.id_value, CASE s.id_type WHEN 'user_id' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 WHEN 'anonymous_id' THEN 3 WHEN 'device_id' THEN 4 ELSE NULL END AS priority,
       CASE WHEN n.first_seen_at IS NULL OR s.first_seen_at < n.first_seen_at THEN s.first_seen_at ELSE n.first_seen_at END AS first_seen_at,
       CASE WHEN n.last_seen_at IS NULL OR s.last_seen_at > n.last_seen_at THEN s.last_seen_at ELSE n.last_seen_at END AS last_seen_at,
       n.label AS old_label
     FROM (SELECT id_type, id_value, min(seen_at) AS first_seen_at, max(seen_at) AS last_seen_at
           FROM ((SELECT 'user_id' AS id_type, norm_0 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f
         WHERE reason_0 IS NULL AND NOT hub_0)
UNION ALL
(SELECT 'email' AS id_type, norm_1 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f
         WHERE reason_1 IS NULL AND NOT hub_1)
UNION ALL
(SELECT 'phone' AS id_type, norm_2 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f
         WHERE reason_2 IS NULL AND NOT hub_2)
UNION ALL
(SELECT 'user_id' AS id_type, norm_0 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0 FROM "weft_session"."identity_work_wide_1" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0) f
         WHERE reason_0 IS NULL AND NOT hub_0)
UNION ALL
(SELECT 'email' AS id_type, norm_1 AS id_value, seen_at FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_2" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f
         WHERE reason_1 IS NULL AND NOT hub_1)
UNION ALL
(SELECT 'phone' AS id_type, norm_2 AS id_value, seen_at FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_2" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f
         WHERE reason_2 IS NULL AND NOT hub_2)
UNION ALL
(SELECT 'user_id' AS id_type, norm_0 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h3.id_value IS NOT NULL) AS hub_3, h3.reason AS hubr_3 FROM "weft_session"."identity_work_wide_3" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h3 ON h3.id_type = 'anonymous_id' AND h3.id_value = w.norm_3) f
         WHERE reason_0 IS NULL AND NOT hub_0)
UNION ALL
(SELECT 'anonymous_id' AS id_type, norm_3 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h3.id_value IS NOT NULL) AS hub_3, h3.reason AS hubr_3 FROM "weft_session"."identity_work_wide_3" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h3 ON h3.id_type = 'anonymous_id' AND h3.id_value = w.norm_3) f
         WHERE reason_3 IS NULL AND NOT hub_3)
UNION ALL
(SELECT 'email' AS id_type, norm_1 AS id_value, seen_at FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1 FROM "weft_session"."identity_work_wide_4" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1) f
         WHERE reason_1 IS NULL AND NOT hub_1)
UNION ALL
(SELECT 'email' AS id_type, norm_1 AS id_value, seen_at FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1 FROM "weft_session"."identity_work_wide_5" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1) f
         WHERE reason_1 IS NULL AND NOT hub_1)
UNION ALL
(SELECT 'user_id' AS id_type, norm_0 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_6" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f
         WHERE reason_0 IS NULL AND NOT hub_0)
UNION ALL
(SELECT 'device_id' AS id_type, norm_4 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_6" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f
         WHERE reason_4 IS NULL AND NOT hub_4)
UNION ALL
(SELECT 'user_id' AS id_type, norm_0 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_7" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f
         WHERE reason_0 IS NULL AND NOT hub_0)
UNION ALL
(SELECT 'device_id' AS id_type, norm_4 AS id_value, seen_at FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_7" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f
         WHERE reason_4 IS NULL AND NOT hub_4)) o GROUP BY id_type, id_value) s
     LEFT JOIN "weft_state"."identity_state_nodes" n ON n.id_type = s.id_type AND n.id_value = s.id_value) t
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_cc_edges" AS
SELECT DISTINCT least(na.label, nb.label) AS a, greatest(na.label, nb.label) AS b
     FROM "weft_session"."identity_work_edges_new" e
     JOIN "weft_session"."identity_work_nodes_touched" na ON na.id_type = e.a_type AND na.id_value = e.a_value
     JOIN "weft_session"."identity_work_nodes_touched" nb ON nb.id_type = e.b_type AND nb.id_value = e.b_value
     WHERE NOT e.hub AND na.label <> nb.label
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_cc_cur" AS
SELECT DISTINCT a, b FROM "weft_session"."identity_work_cc_edges" WHERE a < b
;

SELECT (SELECT count(*) FROM "weft_session"."identity_work_cc_cur") - (SELECT count(DISTINCT b) FROM "weft_session"."identity_work_cc_cur")
      + (SELECT count(*) FROM "weft_session"."identity_work_cc_cur" x WHERE EXISTS (SELECT 1 FROM "weft_session"."identity_work_cc_cur" y WHERE y.b = x.a)) AS n
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_cc_map" AS
SELECT b AS node, a AS root FROM "weft_session"."identity_work_cc_cur" UNION ALL SELECT DISTINCT a AS node, a AS root FROM "weft_session"."identity_work_cc_cur"
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_nodes_written" AS
SELECT node_id, id_type, id_value, priority, first_seen_at, last_seen_at, coalesce(m.root, n.label) AS label FROM "weft_session"."identity_work_nodes_touched" n LEFT JOIN "weft_session"."identity_work_cc_map" m ON m.node = n.label
     UNION ALL
     SELECT n.node_id, n.id_type, n.id_value, n.priority, n.first_seen_at, n.last_seen_at, m.root AS label FROM "weft_state"."identity_state_nodes" n JOIN "weft_session"."identity_work_cc_map" m ON m.node = n.label
     WHERE m.root <> n.label AND NOT EXISTS (SELECT 1 FROM "weft_session"."identity_work_nodes_touched" x WHERE x.node_id = n.node_id)
;

DELETE FROM "weft_state"."identity_state_nodes" AS weft_target WHERE EXISTS (SELECT 1 FROM "weft_session"."identity_work_nodes_written" AS weft_source WHERE weft_source."node_id" = weft_target."node_id")
;

INSERT INTO "weft_state"."identity_state_nodes" ("node_id", "id_type", "id_value", "priority", "first_seen_at", "last_seen_at", "label")
SELECT "node_id", "id_type", "id_value", "priority", "first_seen_at", "last_seen_at", "label" FROM "weft_session"."identity_work_nodes_written"
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_affected" AS
SELECT n.* FROM "weft_state"."identity_state_nodes" n WHERE n.label IN (SELECT DISTINCT label FROM "weft_session"."identity_work_nodes_written")
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_lim_violating" AS
SELECT DISTINCT label FROM (SELECT label, id_type, count(*) AS c FROM "weft_session"."identity_work_affected" GROUP BY label, id_type) x WHERE c > CASE id_type WHEN 'user_id' THEN 2 WHEN 'email' THEN 3 WHEN 'phone' THEN 2 ELSE NULL END
;

SELECT count(*) AS n FROM "weft_session"."identity_work_lim_violating"
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_groups" AS
SELECT node_id, label AS grp FROM "weft_session"."identity_work_affected"
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_dropped" AS
SELECT CAST(NULL AS VARCHAR) AS a_type, CAST(NULL AS VARCHAR) AS a_value, CAST(NULL AS VARCHAR) AS b_type, CAST(NULL AS VARCHAR) AS b_value WHERE 1 = 0
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_profiles_new" AS
SELECT x.id_type, x.id_value, a.profile_id, x.first_seen_at, x.last_seen_at
     FROM (SELECT n.id_type, n.id_value, n.priority, n.first_seen_at, n.last_seen_at, g.grp
    FROM "weft_session"."identity_work_affected" n JOIN "weft_session"."identity_work_groups" g ON g.node_id = n.node_id) x JOIN (SELECT grp, SUBSTR(SHA2(id_type || ':' || id_value, 256), 1, 32) AS profile_id FROM (
      SELECT grp, id_type, id_value, row_number() OVER (PARTITION BY grp ORDER BY first_seen_at NULLS LAST, priority, id_type, id_value) AS nth FROM (SELECT n.id_type, n.id_value, n.priority, n.first_seen_at, n.last_seen_at, g.grp
    FROM "weft_session"."identity_work_affected" n JOIN "weft_session"."identity_work_groups" g ON g.node_id = n.node_id) x
    ) r WHERE nth = 1) a ON a.grp = x.grp
;

CREATE OR REPLACE TRANSIENT TABLE "weft_state"."identity_state_prev_map" AS
SELECT c.id_type, c.id_value, p.profile_id FROM "weft_session"."identity_work_profiles_new" c
       LEFT JOIN "weft"."identity_map" p ON p.id_type = c.id_type AND p.id_value = c.id_value
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_prev" AS
SELECT p.id_type, p.id_value, p.profile_id FROM "weft"."identity_map" p
     WHERE EXISTS (SELECT 1 FROM "weft_session"."identity_work_profiles_new" c WHERE c.id_type = p.id_type AND c.id_value = p.id_value)
;

DELETE FROM "weft"."identity_map" AS weft_target WHERE EXISTS (SELECT 1 FROM "weft_session"."identity_work_profiles_new" AS weft_source WHERE weft_source."id_type" = weft_target."id_type" AND weft_source."id_value" = weft_target."id_value")
;

INSERT INTO "weft"."identity_map" ("id_type", "id_value", "profile_id", "first_seen_at", "last_seen_at")
SELECT "id_type", "id_value", "profile_id", "first_seen_at", "last_seen_at" FROM "weft_session"."identity_work_profiles_new"
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_changed" AS
SELECT c.id_type, c.id_value, c.profile_id FROM "weft_session"."identity_work_profiles_new" c
     LEFT JOIN "weft_session"."identity_work_prev" p ON p.id_type = c.id_type AND p.id_value = c.id_value
     WHERE p.profile_id IS NULL OR p.profile_id <> c.profile_id
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_moves" AS
SELECT p.profile_id AS old_id, c.profile_id AS new_id, count(*) AS members
     FROM "weft_session"."identity_work_prev" p JOIN "weft_session"."identity_work_profiles_new" c ON c.id_type = p.id_type AND c.id_value = p.id_value
     GROUP BY p.profile_id, c.profile_id
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_merge_rows" AS
SELECT m.old_id AS old_profile_id, m.new_id AS new_profile_id,
       CASE WHEN o.targets > 1 THEN 'split' WHEN t.sources > 1 THEN 'merge' ELSE 'rekey' END AS reason
     FROM "weft_session"."identity_work_moves" m
     JOIN (SELECT old_id, count(*) AS targets FROM "weft_session"."identity_work_moves" GROUP BY old_id) o ON o.old_id = m.old_id
     JOIN (SELECT new_id, count(*) AS sources FROM "weft_session"."identity_work_moves" GROUP BY new_id) t ON t.new_id = m.new_id
     WHERE m.old_id <> m.new_id
;

INSERT INTO "weft"."profile_merges" ("old_profile_id", "new_profile_id", "reason", "at")
SELECT old_profile_id, new_profile_id, reason, '<now>'::TIMESTAMP_NTZ FROM "weft_session"."identity_work_merge_rows"
;

DELETE FROM "weft_state"."identity_state_prev_map"
;

SELECT reason, count(*) AS n FROM "weft_session"."identity_work_merge_rows" GROUP BY reason
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_edges_recut" AS
SELECT a_type, a_value, b_type, b_value FROM "weft_session"."identity_work_dropped"
         UNION ALL SELECT a_type, a_value, b_type, b_value FROM "weft"."identity_edges" p
         WHERE p.unused_reason = 'limit' AND EXISTS (SELECT 1 FROM "weft_session"."identity_work_affected" n WHERE n.id_type = p.a_type AND n.id_value = p.a_value)
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_edges_out" AS
SELECT e.source, e.row_key, e.a_type, e.a_value, e.b_type, e.b_value, e.first_seen_at, e.last_seen_at, e.row_count,
       (NOT e.hub AND x.a_type IS NULL) AS used_for_merge,
       CASE WHEN e.hub THEN CASE WHEN ha.id_type IS NOT NULL OR hb.id_type IS NOT NULL THEN 'shared' ELSE 'hub' END
         WHEN x.a_type IS NOT NULL THEN 'limit' END AS unused_reason
     FROM (SELECT * FROM "weft_session"."identity_work_edges_merged"
       UNION SELECT * FROM "weft_state"."identity_state_edges" s WHERE EXISTS (SELECT 1 FROM "weft_session"."identity_work_edges_recut" x WHERE x.a_type = s.a_type AND x.a_value = s.a_value AND x.b_type = s.b_type AND x.b_value = s.b_value)) e
     LEFT JOIN "weft_session"."identity_work_dropped" x ON x.a_type = e.a_type AND x.a_value = e.a_value AND x.b_type = e.b_type AND x.b_value = e.b_value
     LEFT JOIN (SELECT id_type, id_value FROM "weft_state"."identity_state_hubs" WHERE reason = 'shared') ha ON ha.id_type = e.a_type AND ha.id_value = e.a_value
     LEFT JOIN (SELECT id_type, id_value FROM "weft_state"."identity_state_hubs" WHERE reason = 'shared') hb ON hb.id_type = e.b_type AND hb.id_value = e.b_value
;

DELETE FROM "weft"."identity_edges" AS weft_target WHERE EXISTS (SELECT 1 FROM "weft_session"."identity_work_edges_out" AS weft_source WHERE weft_source."source" = weft_target."source" AND weft_source."a_type" = weft_target."a_type" AND weft_source."a_value" = weft_target."a_value" AND weft_source."b_type" = weft_target."b_type" AND weft_source."b_value" = weft_target."b_value")
;

INSERT INTO "weft"."identity_edges" ("source", "row_key", "a_type", "a_value", "b_type", "b_value", "first_seen_at", "last_seen_at", "row_count", "used_for_merge", "unused_reason")
SELECT "source", "row_key", "a_type", "a_value", "b_type", "b_value", "first_seen_at", "last_seen_at", "row_count", "used_for_merge", "unused_reason" FROM "weft_session"."identity_work_edges_out"
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."identity_work_rows_out" AS
SELECT r.source, r.row_key, m.profile_id FROM ((SELECT 'stg_shop_customers' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 1 THEN norm_1 WHEN 2 THEN norm_2 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 1 THEN hub_1 WHEN 2 THEN hub_2 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_2 IS NULL AND NOT hub_2 THEN 2 WHEN reason_0 IS NULL THEN 0 WHEN reason_1 IS NULL THEN 1 WHEN reason_2 IS NULL THEN 2 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_shop_orders' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_0 IS NULL THEN 0 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0 FROM "weft_session"."identity_work_wide_1" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_crm_contacts' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END AS a_type, CASE anchor_p WHEN 1 THEN norm_1 WHEN 2 THEN norm_2 END AS a_value, CASE anchor_p WHEN 1 THEN hub_1 WHEN 2 THEN hub_2 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_2 IS NULL AND NOT hub_2 THEN 2 WHEN reason_1 IS NULL THEN 1 WHEN reason_2 IS NULL THEN 2 END AS anchor_p FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_session"."identity_work_wide_2" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_web_events' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 3 THEN 'anonymous_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 3 THEN norm_3 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 3 THEN hub_3 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_3 IS NULL AND NOT hub_3 THEN 3 WHEN reason_0 IS NULL THEN 0 WHEN reason_3 IS NULL THEN 3 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h3.id_value IS NOT NULL) AS hub_3, h3.reason AS hubr_3 FROM "weft_session"."identity_work_wide_3" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h3 ON h3.id_type = 'anonymous_id' AND h3.id_value = w.norm_3) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_support_tickets' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 1 THEN 'email' END AS a_type, CASE anchor_p WHEN 1 THEN norm_1 END AS a_value, CASE anchor_p WHEN 1 THEN hub_1 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_1 IS NULL THEN 1 END AS anchor_p FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1 FROM "weft_session"."identity_work_wide_4" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_newsletter_signups' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 1 THEN 'email' END AS a_type, CASE anchor_p WHEN 1 THEN norm_1 END AS a_value, CASE anchor_p WHEN 1 THEN hub_1 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_1 IS NULL THEN 1 END AS anchor_p FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1 FROM "weft_session"."identity_work_wide_5" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_app_events' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 4 THEN 'device_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 4 THEN norm_4 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 4 THEN hub_4 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_4 IS NULL AND NOT hub_4 THEN 4 WHEN reason_0 IS NULL THEN 0 WHEN reason_4 IS NULL THEN 4 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_6" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_devices' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 4 THEN 'device_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 4 THEN norm_4 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 4 THEN hub_4 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_4 IS NULL AND NOT hub_4 THEN 4 WHEN reason_0 IS NULL THEN 0 WHEN reason_4 IS NULL THEN 4 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_session"."identity_work_wide_7" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)) r
     JOIN "weft_session"."identity_work_profiles_new" m ON m.id_type = r.a_type AND m.id_value = r.a_value
UNION ALL
SELECT r.source, r.row_key, m.profile_id FROM ((SELECT 'stg_shop_customers' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 1 THEN norm_1 WHEN 2 THEN norm_2 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 1 THEN hub_1 WHEN 2 THEN hub_2 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_2 IS NULL AND NOT hub_2 THEN 2 WHEN reason_0 IS NULL THEN 0 WHEN reason_1 IS NULL THEN 1 WHEN reason_2 IS NULL THEN 2 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM (SELECT * FROM "weft_state"."identity_state_src_0" s WHERE s.norm_0 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'user_id') OR s.norm_1 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'email') OR s.norm_2 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'phone')) w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_shop_orders' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_0 IS NULL THEN 0 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0 FROM (SELECT * FROM "weft_state"."identity_state_src_1" s WHERE s.norm_0 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'user_id')) w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_crm_contacts' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 1 THEN 'email' WHEN 2 THEN 'phone' END AS a_type, CASE anchor_p WHEN 1 THEN norm_1 WHEN 2 THEN norm_2 END AS a_value, CASE anchor_p WHEN 1 THEN hub_1 WHEN 2 THEN hub_2 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_2 IS NULL AND NOT hub_2 THEN 2 WHEN reason_1 IS NULL THEN 1 WHEN reason_2 IS NULL THEN 2 END AS anchor_p FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM (SELECT * FROM "weft_state"."identity_state_src_2" s WHERE s.norm_1 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'email') OR s.norm_2 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'phone')) w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_web_events' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 3 THEN 'anonymous_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 3 THEN norm_3 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 3 THEN hub_3 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_3 IS NULL AND NOT hub_3 THEN 3 WHEN reason_0 IS NULL THEN 0 WHEN reason_3 IS NULL THEN 3 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h3.id_value IS NOT NULL) AS hub_3, h3.reason AS hubr_3 FROM (SELECT * FROM "weft_state"."identity_state_src_3" s WHERE s.norm_0 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'user_id') OR s.norm_3 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'anonymous_id')) w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h3 ON h3.id_type = 'anonymous_id' AND h3.id_value = w.norm_3) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_support_tickets' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 1 THEN 'email' END AS a_type, CASE anchor_p WHEN 1 THEN norm_1 END AS a_value, CASE anchor_p WHEN 1 THEN hub_1 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_1 IS NULL THEN 1 END AS anchor_p FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1 FROM (SELECT * FROM "weft_state"."identity_state_src_4" s WHERE s.norm_1 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'email')) w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_newsletter_signups' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 1 THEN 'email' END AS a_type, CASE anchor_p WHEN 1 THEN norm_1 END AS a_value, CASE anchor_p WHEN 1 THEN hub_1 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_1 IS NULL AND NOT hub_1 THEN 1 WHEN reason_1 IS NULL THEN 1 END AS anchor_p FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1 FROM (SELECT * FROM "weft_state"."identity_state_src_5" s WHERE s.norm_1 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'email')) w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_app_events' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 4 THEN 'device_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 4 THEN norm_4 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 4 THEN hub_4 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_4 IS NULL AND NOT hub_4 THEN 4 WHEN reason_0 IS NULL THEN 0 WHEN reason_4 IS NULL THEN 4 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM (SELECT * FROM "weft_state"."identity_state_src_6" s WHERE s.norm_0 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'user_id') OR s.norm_4 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'device_id')) w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)
UNION ALL
(SELECT 'stg_devices' AS source, row_key, a_type, a_value FROM (SELECT a.*, CASE anchor_p WHEN 0 THEN 'user_id' WHEN 4 THEN 'device_id' END AS a_type, CASE anchor_p WHEN 0 THEN norm_0 WHEN 4 THEN norm_4 END AS a_value, CASE anchor_p WHEN 0 THEN hub_0 WHEN 4 THEN hub_4 END AS a_hub
    FROM (SELECT f.*, CASE WHEN reason_0 IS NULL AND NOT hub_0 THEN 0 WHEN reason_4 IS NULL AND NOT hub_4 THEN 4 WHEN reason_0 IS NULL THEN 0 WHEN reason_4 IS NULL THEN 4 END AS anchor_p FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM (SELECT * FROM "weft_state"."identity_state_src_7" s WHERE s.norm_0 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'user_id') OR s.norm_4 IN (SELECT id_value FROM "weft_session"."identity_work_changed" WHERE id_type = 'device_id')) w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f) a) x
     WHERE anchor_p IS NOT NULL AND NOT a_hub)) r
     JOIN "weft_session"."identity_work_changed" m ON m.id_type = r.a_type AND m.id_value = r.a_value
;

DELETE FROM "weft"."identity_rows" AS weft_target WHERE EXISTS (SELECT 1 FROM "weft_session"."identity_work_rows_out" AS weft_source WHERE weft_source."source" = weft_target."source" AND weft_source."row_key" = weft_target."row_key")
;

INSERT INTO "weft"."identity_rows" ("source", "row_key", "profile_id")
SELECT "source", "row_key", "profile_id" FROM "weft_session"."identity_work_rows_out"
;

INSERT INTO "weft_state"."identity_state_src_0" ("row_key", "fingerprint", "seen_at", "name_key", "raw_0", "norm_0", "reason_0", "raw_1", "norm_1", "reason_1", "raw_2", "norm_2", "reason_2")
SELECT row_key, fingerprint, seen_at, name_key, raw_0, norm_0, reason_0, raw_1, norm_1, reason_1, raw_2, norm_2, reason_2 FROM "weft_session"."identity_work_wide_0"
;

INSERT INTO "weft_state"."identity_state_src_1" ("row_key", "fingerprint", "seen_at", "raw_0", "norm_0", "reason_0")
SELECT row_key, fingerprint, seen_at, raw_0, norm_0, reason_0 FROM "weft_session"."identity_work_wide_1"
;

INSERT INTO "weft_state"."identity_state_src_2" ("row_key", "fingerprint", "seen_at", "name_key", "raw_1", "norm_1", "reason_1", "raw_2", "norm_2", "reason_2")
SELECT row_key, fingerprint, seen_at, name_key, raw_1, norm_1, reason_1, raw_2, norm_2, reason_2 FROM "weft_session"."identity_work_wide_2"
;

INSERT INTO "weft_state"."identity_state_src_3" ("row_key", "fingerprint", "seen_at", "raw_0", "norm_0", "reason_0", "raw_3", "norm_3", "reason_3")
SELECT row_key, fingerprint, seen_at, raw_0, norm_0, reason_0, raw_3, norm_3, reason_3 FROM "weft_session"."identity_work_wide_3"
;

INSERT INTO "weft_state"."identity_state_src_4" ("row_key", "fingerprint", "seen_at", "raw_1", "norm_1", "reason_1")
SELECT row_key, fingerprint, seen_at, raw_1, norm_1, reason_1 FROM "weft_session"."identity_work_wide_4"
;

INSERT INTO "weft_state"."identity_state_src_5" ("row_key", "fingerprint", "seen_at", "raw_1", "norm_1", "reason_1")
SELECT row_key, fingerprint, seen_at, raw_1, norm_1, reason_1 FROM "weft_session"."identity_work_wide_5"
;

INSERT INTO "weft_state"."identity_state_src_6" ("row_key", "fingerprint", "seen_at", "raw_0", "norm_0", "reason_0", "raw_4", "norm_4", "reason_4")
SELECT row_key, fingerprint, seen_at, raw_0, norm_0, reason_0, raw_4, norm_4, reason_4 FROM "weft_session"."identity_work_wide_6"
;

INSERT INTO "weft_state"."identity_state_src_7" ("row_key", "fingerprint", "seen_at", "raw_0", "norm_0", "reason_0", "raw_4", "norm_4", "reason_4")
SELECT row_key, fingerprint, seen_at, raw_0, norm_0, reason_0, raw_4, norm_4, reason_4 FROM "weft_session"."identity_work_wide_7"
;

DELETE FROM "weft"."identity_shared"
;

INSERT INTO "weft"."identity_shared" ("id_type", "id_value", "profile_id", "reason", "persons", "row_count")
SELECT o.id_type, o.id_value, r.profile_id, h.reason, h.partners AS persons, count(*) AS row_count
       FROM ((SELECT 'stg_shop_customers' AS source, w.row_key, 'user_id' AS id_type, w.norm_0 AS id_value
         FROM "weft_state"."identity_state_src_0" w
         WHERE w.reason_0 IS NULL AND w.norm_0 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'user_id'))
UNION ALL
(SELECT 'stg_shop_customers' AS source, w.row_key, 'email' AS id_type, w.norm_1 AS id_value
         FROM "weft_state"."identity_state_src_0" w
         WHERE w.reason_1 IS NULL AND w.norm_1 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'email'))
UNION ALL
(SELECT 'stg_shop_customers' AS source, w.row_key, 'phone' AS id_type, w.norm_2 AS id_value
         FROM "weft_state"."identity_state_src_0" w
         WHERE w.reason_2 IS NULL AND w.norm_2 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'phone'))
UNION ALL
(SELECT 'stg_shop_orders' AS source, w.row_key, 'user_id' AS id_type, w.norm_0 AS id_value
         FROM "weft_state"."identity_state_src_1" w
         WHERE w.reason_0 IS NULL AND w.norm_0 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'user_id'))
UNION ALL
(SELECT 'stg_crm_contacts' AS source, w.row_key, 'email' AS id_type, w.norm_1 AS id_value
         FROM "weft_state"."identity_state_src_2" w
         WHERE w.reason_1 IS NULL AND w.norm_1 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'email'))
UNION ALL
(SELECT 'stg_crm_contacts' AS source, w.row_key, 'phone' AS id_type, w.norm_2 AS id_value
         FROM "weft_state"."identity_state_src_2" w
         WHERE w.reason_2 IS NULL AND w.norm_2 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'phone'))
UNION ALL
(SELECT 'stg_web_events' AS source, w.row_key, 'user_id' AS id_type, w.norm_0 AS id_value
         FROM "weft_state"."identity_state_src_3" w
         WHERE w.reason_0 IS NULL AND w.norm_0 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'user_id'))
UNION ALL
(SELECT 'stg_web_events' AS source, w.row_key, 'anonymous_id' AS id_type, w.norm_3 AS id_value
         FROM "weft_state"."identity_state_src_3" w
         WHERE w.reason_3 IS NULL AND w.norm_3 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'anonymous_id'))
UNION ALL
(SELECT 'stg_support_tickets' AS source, w.row_key, 'email' AS id_type, w.norm_1 AS id_value
         FROM "weft_state"."identity_state_src_4" w
         WHERE w.reason_1 IS NULL AND w.norm_1 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'email'))
UNION ALL
(SELECT 'stg_newsletter_signups' AS source, w.row_key, 'email' AS id_type, w.norm_1 AS id_value
         FROM "weft_state"."identity_state_src_5" w
         WHERE w.reason_1 IS NULL AND w.norm_1 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'email'))
UNION ALL
(SELECT 'stg_app_events' AS source, w.row_key, 'user_id' AS id_type, w.norm_0 AS id_value
         FROM "weft_state"."identity_state_src_6" w
         WHERE w.reason_0 IS NULL AND w.norm_0 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'user_id'))
UNION ALL
(SELECT 'stg_app_events' AS source, w.row_key, 'device_id' AS id_type, w.norm_4 AS id_value
         FROM "weft_state"."identity_state_src_6" w
         WHERE w.reason_4 IS NULL AND w.norm_4 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'device_id'))
UNION ALL
(SELECT 'stg_devices' AS source, w.row_key, 'user_id' AS id_type, w.norm_0 AS id_value
         FROM "weft_state"."identity_state_src_7" w
         WHERE w.reason_0 IS NULL AND w.norm_0 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'user_id'))
UNION ALL
(SELECT 'stg_devices' AS source, w.row_key, 'device_id' AS id_type, w.norm_4 AS id_value
         FROM "weft_state"."identity_state_src_7" w
         WHERE w.reason_4 IS NULL AND w.norm_4 IN (SELECT id_value FROM "weft_state"."identity_state_hubs" WHERE id_type = 'device_id'))) o
       JOIN "weft"."identity_rows" r ON r.source = o.source AND r.row_key = o.row_key
       JOIN "weft_state"."identity_state_hubs" h ON h.id_type = o.id_type AND h.id_value = o.id_value
       GROUP BY o.id_type, o.id_value, r.profile_id, h.reason, h.partners
;

CREATE OR REPLACE VIEW "weft"."identity_occurrences" AS
(SELECT 'stg_shop_customers' AS source, row_key, 'user_id' AS id_type, norm_0 AS id_value,
           coalesce(raw_0, norm_0) AS raw_value, seen_at, CASE WHEN reason_0 IS NULL AND hub_0 THEN hubr_0 ELSE reason_0 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_state"."identity_state_src_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f WHERE coalesce(reason_0, '') <> 'missing')
UNION ALL
(SELECT 'stg_shop_customers' AS source, row_key, 'email' AS id_type, norm_1 AS id_value,
           coalesce(raw_1, norm_1) AS raw_value, seen_at, CASE WHEN reason_1 IS NULL AND hub_1 THEN hubr_1 ELSE reason_1 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_state"."identity_state_src_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f WHERE coalesce(reason_1, '') <> 'missing')
UNION ALL
(SELECT 'stg_shop_customers' AS source, row_key, 'phone' AS id_type, norm_2 AS id_value,
           coalesce(raw_2, norm_2) AS raw_value, seen_at, CASE WHEN reason_2 IS NULL AND hub_2 THEN hubr_2 ELSE reason_2 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_state"."identity_state_src_0" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f WHERE coalesce(reason_2, '') <> 'missing')
UNION ALL
(SELECT 'stg_shop_orders' AS source, row_key, 'user_id' AS id_type, norm_0 AS id_value,
           coalesce(raw_0, norm_0) AS raw_value, seen_at, CASE WHEN reason_0 IS NULL AND hub_0 THEN hubr_0 ELSE reason_0 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0 FROM "weft_state"."identity_state_src_1" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0) f WHERE coalesce(reason_0, '') <> 'missing')
UNION ALL
(SELECT 'stg_crm_contacts' AS source, row_key, 'email' AS id_type, norm_1 AS id_value,
           coalesce(raw_1, norm_1) AS raw_value, seen_at, CASE WHEN reason_1 IS NULL AND hub_1 THEN hubr_1 ELSE reason_1 END AS excluded_reason
         FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_state"."identity_state_src_2" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f WHERE coalesce(reason_1, '') <> 'missing')
UNION ALL
(SELECT 'stg_crm_contacts' AS source, row_key, 'phone' AS id_type, norm_2 AS id_value,
           coalesce(raw_2, norm_2) AS raw_value, seen_at, CASE WHEN reason_2 IS NULL AND hub_2 THEN hubr_2 ELSE reason_2 END AS excluded_reason
         FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1, (h2.id_value IS NOT NULL) AS hub_2, h2.reason AS hubr_2 FROM "weft_state"."identity_state_src_2" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1 LEFT JOIN "weft_state"."identity_state_hubs" h2 ON h2.id_type = 'phone' AND h2.id_value = w.norm_2) f WHERE coalesce(reason_2, '') <> 'missing')
UNION ALL
(SELECT 'stg_web_events' AS source, row_key, 'user_id' AS id_type, norm_0 AS id_value,
           coalesce(raw_0, norm_0) AS raw_value, seen_at, CASE WHEN reason_0 IS NULL AND hub_0 THEN hubr_0 ELSE reason_0 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h3.id_value IS NOT NULL) AS hub_3, h3.reason AS hubr_3 FROM "weft_state"."identity_state_src_3" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h3 ON h3.id_type = 'anonymous_id' AND h3.id_value = w.norm_3) f WHERE coalesce(reason_0, '') <> 'missing')
UNION ALL
(SELECT 'stg_web_events' AS source, row_key, 'anonymous_id' AS id_type, norm_3 AS id_value,
           coalesce(raw_3, norm_3) AS raw_value, seen_at, CASE WHEN reason_3 IS NULL AND hub_3 THEN hubr_3 ELSE reason_3 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h3.id_value IS NOT NULL) AS hub_3, h3.reason AS hubr_3 FROM "weft_state"."identity_state_src_3" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h3 ON h3.id_type = 'anonymous_id' AND h3.id_value = w.norm_3) f WHERE coalesce(reason_3, '') <> 'missing')
UNION ALL
(SELECT 'stg_support_tickets' AS source, row_key, 'email' AS id_type, norm_1 AS id_value,
           coalesce(raw_1, norm_1) AS raw_value, seen_at, CASE WHEN reason_1 IS NULL AND hub_1 THEN hubr_1 ELSE reason_1 END AS excluded_reason
         FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1 FROM "weft_state"."identity_state_src_4" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1) f WHERE coalesce(reason_1, '') <> 'missing')
UNION ALL
(SELECT 'stg_newsletter_signups' AS source, row_key, 'email' AS id_type, norm_1 AS id_value,
           coalesce(raw_1, norm_1) AS raw_value, seen_at, CASE WHEN reason_1 IS NULL AND hub_1 THEN hubr_1 ELSE reason_1 END AS excluded_reason
         FROM (SELECT w.*, (h1.id_value IS NOT NULL) AS hub_1, h1.reason AS hubr_1 FROM "weft_state"."identity_state_src_5" w LEFT JOIN "weft_state"."identity_state_hubs" h1 ON h1.id_type = 'email' AND h1.id_value = w.norm_1) f WHERE coalesce(reason_1, '') <> 'missing')
UNION ALL
(SELECT 'stg_app_events' AS source, row_key, 'user_id' AS id_type, norm_0 AS id_value,
           coalesce(raw_0, norm_0) AS raw_value, seen_at, CASE WHEN reason_0 IS NULL AND hub_0 THEN hubr_0 ELSE reason_0 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_state"."identity_state_src_6" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f WHERE coalesce(reason_0, '') <> 'missing')
UNION ALL
(SELECT 'stg_app_events' AS source, row_key, 'device_id' AS id_type, norm_4 AS id_value,
           coalesce(raw_4, norm_4) AS raw_value, seen_at, CASE WHEN reason_4 IS NULL AND hub_4 THEN hubr_4 ELSE reason_4 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_state"."identity_state_src_6" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f WHERE coalesce(reason_4, '') <> 'missing')
UNION ALL
(SELECT 'stg_devices' AS source, row_key, 'user_id' AS id_type, norm_0 AS id_value,
           coalesce(raw_0, norm_0) AS raw_value, seen_at, CASE WHEN reason_0 IS NULL AND hub_0 THEN hubr_0 ELSE reason_0 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_state"."identity_state_src_7" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f WHERE coalesce(reason_0, '') <> 'missing')
UNION ALL
(SELECT 'stg_devices' AS source, row_key, 'device_id' AS id_type, norm_4 AS id_value,
           coalesce(raw_4, norm_4) AS raw_value, seen_at, CASE WHEN reason_4 IS NULL AND hub_4 THEN hubr_4 ELSE reason_4 END AS excluded_reason
         FROM (SELECT w.*, (h0.id_value IS NOT NULL) AS hub_0, h0.reason AS hubr_0, (h4.id_value IS NOT NULL) AS hub_4, h4.reason AS hubr_4 FROM "weft_state"."identity_state_src_7" w LEFT JOIN "weft_state"."identity_state_hubs" h0 ON h0.id_type = 'user_id' AND h0.id_value = w.norm_0 LEFT JOIN "weft_state"."identity_state_hubs" h4 ON h4.id_type = 'device_id' AND h4.id_value = w.norm_4) f WHERE coalesce(reason_4, '') <> 'missing')
;

DELETE FROM "weft_state"."identity_state_meta"
;

INSERT INTO "weft_state"."identity_state_meta" (key, value) VALUES ('status', 'clean'), ('config_hash', '04b7304140e1c444eea42a436f337886ce1f229a020c752b8ca94661ebef5838')
;

SELECT count(*) AS profiles, coalesce(sum(n), 0) AS identifiers, coalesce(max(n), 0) AS largest
     FROM (SELECT profile_id, count(*) AS n FROM "weft"."identity_map" GROUP BY profile_id) p
;

SELECT count(*) AS n FROM (SELECT DISTINCT id_type, coalesce(id_value, raw_value) AS v FROM (SELECT 'user_id' AS id_type, norm_0 AS id_value, coalesce(raw_0, norm_0) AS raw_value
         FROM "weft_state"."identity_state_src_0" WHERE reason_0 IN ('junk', 'blocklist') UNION ALL SELECT 'email' AS id_type, norm_1 AS id_value, coalesce(raw_1, norm_1) AS raw_value
         FROM "weft_state"."identity_state_src_0" WHERE reason_1 IN ('junk', 'blocklist') UNION ALL SELECT 'phone' AS id_type, norm_2 AS id_value, coalesce(raw_2, norm_2) AS raw_value
         FROM "weft_state"."identity_state_src_0" WHERE reason_2 IN ('junk', 'blocklist') UNION ALL SELECT 'user_id' AS id_type, norm_0 AS id_value, coalesce(raw_0, norm_0) AS raw_value
         FROM "weft_state"."identity_state_src_1" WHERE reason_0 IN ('junk', 'blocklist') UNION ALL SELECT 'email' AS id_type, norm_1 AS id_value, coalesce(raw_1, norm_1) AS raw_value
         FROM "weft_state"."identity_state_src_2" WHERE reason_1 IN ('junk', 'blocklist') UNION ALL SELECT 'phone' AS id_type, norm_2 AS id_value, coalesce(raw_2, norm_2) AS raw_value
         FROM "weft_state"."identity_state_src_2" WHERE reason_2 IN ('junk', 'blocklist') UNION ALL SELECT 'user_id' AS id_type, norm_0 AS id_value, coalesce(raw_0, norm_0) AS raw_value
         FROM "weft_state"."identity_state_src_3" WHERE reason_0 IN ('junk', 'blocklist') UNION ALL SELECT 'anonymous_id' AS id_type, norm_3 AS id_value, coalesce(raw_3, norm_3) AS raw_value
         FROM "weft_state"."identity_state_src_3" WHERE reason_3 IN ('junk', 'blocklist') UNION ALL SELECT 'email' AS id_type, norm_1 AS id_value, coalesce(raw_1, norm_1) AS raw_value
         FROM "weft_state"."identity_state_src_4" WHERE reason_1 IN ('junk', 'blocklist') UNION ALL SELECT 'email' AS id_type, norm_1 AS id_value, coalesce(raw_1, norm_1) AS raw_value
         FROM "weft_state"."identity_state_src_5" WHERE reason_1 IN ('junk', 'blocklist') UNION ALL SELECT 'user_id' AS id_type, norm_0 AS id_value, coalesce(raw_0, norm_0) AS raw_value
         FROM "weft_state"."identity_state_src_6" WHERE reason_0 IN ('junk', 'blocklist') UNION ALL SELECT 'device_id' AS id_type, norm_4 AS id_value, coalesce(raw_4, norm_4) AS raw_value
         FROM "weft_state"."identity_state_src_6" WHERE reason_4 IN ('junk', 'blocklist') UNION ALL SELECT 'user_id' AS id_type, norm_0 AS id_value, coalesce(raw_0, norm_0) AS raw_value
         FROM "weft_state"."identity_state_src_7" WHERE reason_0 IN ('junk', 'blocklist') UNION ALL SELECT 'device_id' AS id_type, norm_4 AS id_value, coalesce(raw_4, norm_4) AS raw_value
         FROM "weft_state"."identity_state_src_7" WHERE reason_4 IN ('junk', 'blocklist')) o) b
;

SELECT count(*) AS n FROM "weft"."identity_map" WHERE id_type IN ('phone') AND NOT (REGEXP_INSTR(replace(id_value, '+', ''), '^(1[2-9][0-9]{2}[2-9][0-9]{6}|[2-9][0-9]{7,14})$') > 0)
;

SELECT count(*) AS n FROM "weft_state"."identity_state_hubs" WHERE reason = 'hub'
;

SELECT count(*) AS n FROM "weft_state"."identity_state_hubs" WHERE reason = 'shared'
;

SELECT id_type, id_value, partners FROM "weft_state"."identity_state_hubs" WHERE reason = 'shared' ORDER BY partners DESC, id_type, id_value LIMIT 50
;

SELECT count(*) AS n FROM "weft"."identity_edges" WHERE unused_reason = 'limit'
;

DROP TABLE IF EXISTS "weft_session"."identity_work_diff_0"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_wide_0"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_diff_1"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_wide_1"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_diff_2"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_wide_2"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_diff_3"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_wide_3"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_diff_4"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_wide_4"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_diff_5"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_wide_5"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_diff_6"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_wide_6"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_diff_7"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_wide_7"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_hub_candidates"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_hubs_new"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_edges_new"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_edges_merged"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_nodes_touched"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_cc_edges"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_cc_cur"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_cc_map"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_nodes_written"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_affected"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_lim_violating"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_groups"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_dropped"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_profiles_new"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_prev"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_changed"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_moves"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_merge_rows"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_edges_recut"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_edges_out"
;

DROP TABLE IF EXISTS "weft_session"."identity_work_rows_out"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft_state') AND UPPER(table_name) = UPPER('suppressions')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('identity_map')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('identity_rows')
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_source_0" AS
SELECT weft_ir.profile_id AS weft_profile_id, weft_src."email", weft_src."updated_at", weft_src."phone", weft_src."first_name", weft_src."last_name", weft_src."account_manager"
FROM (SELECT *, CAST(CAST("customer_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_shop_customers") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_shop_customers' AND weft_ir.row_key = weft_src.weft_row_key
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_source_1" AS
SELECT weft_ir.profile_id AS weft_profile_id, weft_src."email", weft_src."updated_at", weft_src."phone", weft_src."first_name", weft_src."last_name", weft_src."plan", weft_src."company"
FROM (SELECT *, CAST(CAST("contact_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_crm_contacts") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_crm_contacts' AND weft_ir.row_key = weft_src.weft_row_key
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_0" AS
SELECT profile_id, value AS "email" FROM (
SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY weft_priority, weft_order DESC NULLS LAST, CAST(weft_value AS VARCHAR)) AS weft_rank
  FROM (
SELECT * FROM (
SELECT weft_profile_id, weft_priority, weft_value, weft_order FROM (SELECT weft_s2.*, CASE WHEN weft_n1_1 LIKE '@%' THEN NULL ELSE weft_n1_1 END AS weft_n2_1 FROM (SELECT weft_s1.*, CASE WHEN NOT (REGEXP_INSTR(weft_n0_1, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (weft_n0_1 LIKE '%@gmail.com' OR weft_n0_1 LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(weft_n0_1, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE weft_n0_1 END AS weft_n1_1, weft_n0_1 AS weft_c_1 FROM (SELECT weft_s0.*, CASE WHEN (REGEXP_INSTR(lower(CAST(weft_value AS VARCHAR)), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower(CAST(weft_value AS VARCHAR)), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower(CAST(weft_value AS VARCHAR)) END AS weft_n0_1 FROM (SELECT weft_src.weft_profile_id, 0 AS weft_priority, weft_src."email" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_0" AS weft_src) AS weft_s0) AS weft_s1) AS weft_s2) AS weft_checked WHERE CASE WHEN (CASE WHEN length(weft_c_1) > 15 THEN FALSE ELSE weft_c_1 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (weft_c_1 LIKE '0%' OR weft_c_1 LIKE '-%') THEN FALSE ELSE TRIM(weft_c_1, '0-') = '' END) THEN 1
      WHEN weft_n2_1 IS NULL THEN 0
      WHEN (weft_n2_1 IN ('test@test.com', 'a@a.com', 'email@email.com', 'example@example.com', 'none@none.com', 'null@null.com', 'no@no.com', 'user@domain.com', 'name@domain.com') OR weft_n2_1 LIKE 'noemail@%' OR weft_n2_1 LIKE 'no-email@%' OR weft_n2_1 LIKE 'noreply@%' OR weft_n2_1 LIKE 'no-reply@%' OR weft_n2_1 LIKE 'donotreply@%' OR weft_n2_1 LIKE 'do-not-reply@%' OR weft_n2_1 LIKE '%@example.com' OR weft_n2_1 LIKE '%@example.org' OR weft_n2_1 LIKE '%@example.net' OR weft_n2_1 LIKE '%@test.com') THEN 1
      WHEN weft_n2_1 IN (CASE WHEN CASE WHEN NOT (REGEXP_INSTR(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@gmail.com' OR CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END END LIKE '@%' THEN NULL ELSE CASE WHEN NOT (REGEXP_INSTR(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@gmail.com' OR CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END END END) THEN 1
      WHEN ((REGEXP_INSTR(weft_n2_1, '(^.*@example\\.com$)') > 0)) THEN 1
      ELSE 0 END = 0
UNION ALL
SELECT weft_profile_id, weft_priority, weft_value, weft_order FROM (SELECT weft_s2.*, CASE WHEN weft_n1_1 LIKE '@%' THEN NULL ELSE weft_n1_1 END AS weft_n2_1 FROM (SELECT weft_s1.*, CASE WHEN NOT (REGEXP_INSTR(weft_n0_1, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (weft_n0_1 LIKE '%@gmail.com' OR weft_n0_1 LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(weft_n0_1, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE weft_n0_1 END AS weft_n1_1, weft_n0_1 AS weft_c_1 FROM (SELECT weft_s0.*, CASE WHEN (REGEXP_INSTR(lower(CAST(weft_value AS VARCHAR)), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower(CAST(weft_value AS VARCHAR)), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower(CAST(weft_value AS VARCHAR)) END AS weft_n0_1 FROM (SELECT weft_src.weft_profile_id, 1 AS weft_priority, weft_src."email" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_1" AS weft_src) AS weft_s0) AS weft_s1) AS weft_s2) AS weft_checked WHERE CASE WHEN (CASE WHEN length(weft_c_1) > 15 THEN FALSE ELSE weft_c_1 IN ('', 'null', 'none', 'nil', 'undefined', 'nan', '[object object]', '0', '-1', 'n/a', 'na', 'anonymous', 'guest', 'unknown', 'test', 'true', 'false', 'empty', 'blank', 'noemail', 'no email') END OR CASE WHEN NOT (weft_c_1 LIKE '0%' OR weft_c_1 LIKE '-%') THEN FALSE ELSE TRIM(weft_c_1, '0-') = '' END) THEN 1
      WHEN weft_n2_1 IS NULL THEN 0
      WHEN (weft_n2_1 IN ('test@test.com', 'a@a.com', 'email@email.com', 'example@example.com', 'none@none.com', 'null@null.com', 'no@no.com', 'user@domain.com', 'name@domain.com') OR weft_n2_1 LIKE 'noemail@%' OR weft_n2_1 LIKE 'no-email@%' OR weft_n2_1 LIKE 'noreply@%' OR weft_n2_1 LIKE 'no-reply@%' OR weft_n2_1 LIKE 'donotreply@%' OR weft_n2_1 LIKE 'do-not-reply@%' OR weft_n2_1 LIKE '%@example.com' OR weft_n2_1 LIKE '%@example.org' OR weft_n2_1 LIKE '%@example.net' OR weft_n2_1 LIKE '%@test.com') THEN 1
      WHEN weft_n2_1 IN (CASE WHEN CASE WHEN NOT (REGEXP_INSTR(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@gmail.com' OR CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END END LIKE '@%' THEN NULL ELSE CASE WHEN NOT (REGEXP_INSTR(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$') > 0) THEN NULL WHEN (CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@gmail.com' OR CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END LIKE '%@googlemail.com') THEN REGEXP_REPLACE(REGEXP_REPLACE(CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END, '\\+.*@.*$|@.*$', ''), '\\.', '') || '@gmail.com' ELSE CASE WHEN (REGEXP_INSTR(lower('test@test.com'), '^[ 	
"''<>]|[ 	
"''<>]$|mailto:') > 0) THEN TRIM(replace(TRIM(lower('test@test.com'), ' 	
"''<>'), 'mailto:', ''), ' 	
"''<>') ELSE lower('test@test.com') END END END) THEN 1
      WHEN ((REGEXP_INSTR(weft_n2_1, '(^.*@example\\.com$)') > 0)) THEN 1
      ELSE 0 END = 0
) AS weft_all WHERE weft_value IS NOT NULL
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1
) AS weft_picked
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_1" AS
SELECT profile_id, value AS "phone" FROM (
SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY weft_priority, weft_order DESC NULLS LAST, CAST(weft_value AS VARCHAR)) AS weft_rank
  FROM (
SELECT * FROM (
SELECT weft_profile_id, weft_priority, weft_value, weft_order FROM (SELECT weft_s2.*, CASE WHEN (REGEXP_INSTR(weft_n1_2, '^(1[2-9][0-9]{9}|[2-9][0-9]{7,14})$') > 0) THEN '+' || weft_n1_2 END AS weft_n2_2 FROM (SELECT weft_s1.*, CASE WHEN weft_n0_2 LIKE '+%' THEN replace(weft_n0_2, '+', '') WHEN weft_n0_2 LIKE '00%' THEN REGEXP_REPLACE(weft_n0_2, '^00|[^0-9]', '') ELSE CASE WHEN (REGEXP_INSTR(replace(weft_n0_2, '+', ''), '^1[0-9]{10,}$') > 0) THEN replace(weft_n0_2, '+', '') ELSE '1' || REGEXP_REPLACE(replace(weft_n0_2, '+', ''), '^0+', '') END END AS weft_n1_2, replace(weft_n0_2, '+', '') AS weft_c_2 FROM (SELECT weft_s0.*, REGEXP_REPLACE(CAST(weft_value AS VARCHAR), '[^0-9+]', '') AS weft_n0_2 FROM (SELECT weft_src.weft_profile_id, 0 AS weft_priority, weft_src."phone" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_0" AS weft_src) AS weft_s0) AS weft_s1) AS weft_s2) AS weft_checked WHERE CASE WHEN (weft_c_2 = '' OR (REGEXP_INSTR(weft_c_2, '^[0-9]?(0{6,}|1{6,}|2{6,}|3{6,}|4{6,}|5{6,}|6{6,}|7{6,}|8{6,}|9{6,})$|^[01]?(1234567890|0123456789|123456789|9876543210)$') > 0)) THEN 1
      WHEN weft_n2_2 IS NULL THEN 0
      WHEN (REGEXP_INSTR(weft_n2_2, '^\\+1[2-9][0-9]{2}55501[0-9]{2}$') > 0) THEN 1
      ELSE 0 END = 0
UNION ALL
SELECT weft_profile_id, weft_priority, weft_value, weft_order FROM (SELECT weft_s2.*, CASE WHEN (REGEXP_INSTR(weft_n1_2, '^(1[2-9][0-9]{9}|[2-9][0-9]{7,14})$') > 0) THEN '+' || weft_n1_2 END AS weft_n2_2 FROM (SELECT weft_s1.*, CASE WHEN weft_n0_2 LIKE '+%' THEN replace(weft_n0_2, '+', '') WHEN weft_n0_2 LIKE '00%' THEN REGEXP_REPLACE(weft_n0_2, '^00|[^0-9]', '') ELSE CASE WHEN (REGEXP_INSTR(replace(weft_n0_2, '+', ''), '^1[0-9]{10,}$') > 0) THEN replace(weft_n0_2, '+', '') ELSE '1' || REGEXP_REPLACE(replace(weft_n0_2, '+', ''), '^0+', '') END END AS weft_n1_2, replace(weft_n0_2, '+', '') AS weft_c_2 FROM (SELECT weft_s0.*, REGEXP_REPLACE(CAST(weft_value AS VARCHAR), '[^0-9+]', '') AS weft_n0_2 FROM (SELECT weft_src.weft_profile_id, 1 AS weft_priority, weft_src."phone" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_1" AS weft_src) AS weft_s0) AS weft_s1) AS weft_s2) AS weft_checked WHERE CASE WHEN (weft_c_2 = '' OR (REGEXP_INSTR(weft_c_2, '^[0-9]?(0{6,}|1{6,}|2{6,}|3{6,}|4{6,}|5{6,}|6{6,}|7{6,}|8{6,}|9{6,})$|^[01]?(1234567890|0123456789|123456789|9876543210)$') > 0)) THEN 1
      WHEN weft_n2_2 IS NULL THEN 0
      WHEN (REGEXP_INSTR(weft_n2_2, '^\\+1[2-9][0-9]{2}55501[0-9]{2}$') > 0) THEN 1
      ELSE 0 END = 0
) AS weft_all WHERE weft_value IS NOT NULL
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1
) AS weft_picked
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_2" AS
SELECT profile_id, value AS "first_name" FROM (
SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY weft_priority, weft_order DESC NULLS LAST, CAST(weft_value AS VARCHAR)) AS weft_rank
  FROM (
SELECT * FROM (
SELECT weft_src.weft_profile_id, 0 AS weft_priority, weft_src."first_name" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_0" AS weft_src
UNION ALL
SELECT weft_src.weft_profile_id, 1 AS weft_priority, weft_src."first_name" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_1" AS weft_src
) AS weft_all WHERE weft_value IS NOT NULL
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1
) AS weft_picked
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_3" AS
SELECT profile_id, value AS "last_name" FROM (
SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY weft_priority, weft_order DESC NULLS LAST, CAST(weft_value AS VARCHAR)) AS weft_rank
  FROM (
SELECT * FROM (
SELECT weft_src.weft_profile_id, 0 AS weft_priority, weft_src."last_name" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_0" AS weft_src
UNION ALL
SELECT weft_src.weft_profile_id, 1 AS weft_priority, weft_src."last_name" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_1" AS weft_src
) AS weft_all WHERE weft_value IS NOT NULL
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1
) AS weft_picked
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_4" AS
SELECT profile_id, value AS "account_manager" FROM (
SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY weft_order DESC NULLS LAST, weft_priority, CAST(weft_value AS VARCHAR)) AS weft_rank
  FROM (
SELECT * FROM (
SELECT weft_src.weft_profile_id, 0 AS weft_priority, weft_src."account_manager" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_0" AS weft_src
) AS weft_all WHERE weft_value IS NOT NULL
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1
) AS weft_picked
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_5" AS
SELECT weft_profile_id AS profile_id,
  sum(case when status = 'paid' then amount else 0 end) AS "lifetime_value",
  count(case when status = 'paid' then 1 end) AS "order_count",
  min(created_at) AS "first_order_at",
  max(created_at) AS "last_order_at"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("order_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_shop_orders") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_shop_orders' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
GROUP BY weft_profile_id
UNION ALL
SELECT CAST(NULL AS VARCHAR) AS profile_id,
  sum(case when status = 'paid' then amount else 0 end) AS "lifetime_value",
  count(case when status = 'paid' then 1 end) AS "order_count",
  min(created_at) AS "first_order_at",
  max(created_at) AS "last_order_at"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("order_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_shop_orders") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_shop_orders' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
WHERE 1 = 0
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_6" AS
SELECT weft_profile_id AS profile_id,
  max(occurred_at) AS "last_seen_at",
  count(case when event_type = 'pricing_page_view' then 1 end) AS "pricing_page_views"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_web_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_web_events' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
GROUP BY weft_profile_id
UNION ALL
SELECT CAST(NULL AS VARCHAR) AS profile_id,
  max(occurred_at) AS "last_seen_at",
  count(case when event_type = 'pricing_page_view' then 1 end) AS "pricing_page_views"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_web_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_web_events' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
WHERE 1 = 0
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_7" AS
SELECT weft_profile_id AS profile_id,
  max(occurred_at) AS "last_app_open_at"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_app_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_app_events' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
GROUP BY weft_profile_id
UNION ALL
SELECT CAST(NULL AS VARCHAR) AS profile_id,
  max(occurred_at) AS "last_app_open_at"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_app_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_app_events' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
WHERE 1 = 0
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_8" AS
SELECT profile_id, value AS "app_platform" FROM (
SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY weft_count DESC, weft_order DESC NULLS LAST, weft_priority, CAST(weft_value AS VARCHAR)) AS weft_rank
  FROM (
SELECT weft_profile_id, weft_value, count(*) AS weft_count, max(weft_order) AS weft_order, min(weft_priority) AS weft_priority
FROM (SELECT * FROM (
SELECT weft_ir.profile_id AS weft_profile_id, 0 AS weft_priority, weft_src."platform" AS weft_value, weft_src."occurred_at" AS weft_order
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_app_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_app_events' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_all WHERE weft_value IS NOT NULL) AS weft_candidates
GROUP BY weft_profile_id, weft_value
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1
) AS weft_picked
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_9" AS
SELECT profile_id, value AS "plan" FROM (
SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY weft_order DESC NULLS LAST, weft_priority, CAST(weft_value AS VARCHAR)) AS weft_rank
  FROM (
SELECT * FROM (
SELECT weft_src.weft_profile_id, 0 AS weft_priority, weft_src."plan" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_1" AS weft_src
) AS weft_all WHERE weft_value IS NOT NULL
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1
) AS weft_picked
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_10" AS
SELECT profile_id, value AS "company" FROM (
SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY weft_order DESC NULLS LAST, weft_priority, CAST(weft_value AS VARCHAR)) AS weft_rank
  FROM (
SELECT * FROM (
SELECT weft_src.weft_profile_id, 0 AS weft_priority, weft_src."company" AS weft_value, weft_src."updated_at" AS weft_order FROM "weft"."profiles__weft_source_1" AS weft_src
) AS weft_all WHERE weft_value IS NOT NULL
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1
) AS weft_picked
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_11" AS
SELECT weft_profile_id AS profile_id,
  count(*) AS "support_tickets",
  count(case when status in ('open', 'pending') then 1 end) AS "open_tickets"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("ticket_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_support_tickets") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_support_tickets' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
GROUP BY weft_profile_id
UNION ALL
SELECT CAST(NULL AS VARCHAR) AS profile_id,
  count(*) AS "support_tickets",
  count(case when status in ('open', 'pending') then 1 end) AS "open_tickets"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("ticket_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_support_tickets") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_support_tickets' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
WHERE 1 = 0
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_12" AS
SELECT profile_id, value AS "newsletter_subscribed" FROM (
SELECT weft_profile_id AS profile_id, weft_value AS value
FROM (
  SELECT weft_profile_id, weft_value, row_number() OVER (PARTITION BY weft_profile_id ORDER BY weft_order DESC NULLS LAST, weft_priority, CAST(weft_value AS VARCHAR)) AS weft_rank
  FROM (
SELECT * FROM (
SELECT weft_ir.profile_id AS weft_profile_id, 0 AS weft_priority, weft_src."is_subscribed" AS weft_value, weft_src."subscribed_at" AS weft_order
FROM (SELECT *, CAST(CAST("signup_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_newsletter_signups") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_newsletter_signups' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_all WHERE weft_value IS NOT NULL
  ) AS weft_ranked_input
) AS weft_ranked
WHERE weft_rank = 1
) AS weft_picked
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_trait_13" AS
SELECT weft_profile_id AS profile_id,
  count(*) AS "smart_meters"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("device_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_devices") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_devices' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
GROUP BY weft_profile_id
UNION ALL
SELECT CAST(NULL AS VARCHAR) AS profile_id,
  count(*) AS "smart_meters"
FROM (
SELECT weft_ir.profile_id AS weft_profile_id, weft_src.*
FROM (SELECT *, CAST(CAST("device_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_devices") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_devices' AND weft_ir.row_key = weft_src.weft_row_key
) AS weft_rows
WHERE 1 = 0
;

DROP TABLE IF EXISTS "weft"."profiles__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_old"
;

CREATE OR REPLACE TRANSIENT TABLE "weft"."profiles__weft_tmp" AS
SELECT weft_ids.profile_id, weft_t0."email", weft_t1."phone", weft_t2."first_name", weft_t3."last_name", weft_t4."account_manager", CASE WHEN weft_t5.profile_id IS NULL THEN weft_e5."lifetime_value" ELSE weft_t5."lifetime_value" END AS "lifetime_value", CASE WHEN weft_t5.profile_id IS NULL THEN weft_e5."order_count" ELSE weft_t5."order_count" END AS "order_count", CASE WHEN weft_t5.profile_id IS NULL THEN weft_e5."first_order_at" ELSE weft_t5."first_order_at" END AS "first_order_at", CASE WHEN weft_t5.profile_id IS NULL THEN weft_e5."last_order_at" ELSE weft_t5."last_order_at" END AS "last_order_at", CASE WHEN weft_t6.profile_id IS NULL THEN weft_e6."last_seen_at" ELSE weft_t6."last_seen_at" END AS "last_seen_at", CASE WHEN weft_t6.profile_id IS NULL THEN weft_e6."pricing_page_views" ELSE weft_t6."pricing_page_views" END AS "pricing_page_views", CASE WHEN weft_t7.profile_id IS NULL THEN weft_e7."last_app_open_at" ELSE weft_t7."last_app_open_at" END AS "last_app_open_at", weft_t8."app_platform", weft_t9."plan", weft_t10."company", CASE WHEN weft_t11.profile_id IS NULL THEN weft_e11."support_tickets" ELSE weft_t11."support_tickets" END AS "support_tickets", CASE WHEN weft_t11.profile_id IS NULL THEN weft_e11."open_tickets" ELSE weft_t11."open_tickets" END AS "open_tickets", weft_t12."newsletter_subscribed", CASE WHEN weft_t13.profile_id IS NULL THEN weft_e13."smart_meters" ELSE weft_t13."smart_meters" END AS "smart_meters"
FROM (SELECT DISTINCT profile_id FROM "weft"."identity_map") AS weft_ids
LEFT JOIN "weft"."profiles__weft_trait_0" AS weft_t0 ON weft_t0.profile_id = weft_ids.profile_id
LEFT JOIN "weft"."profiles__weft_trait_1" AS weft_t1 ON weft_t1.profile_id = weft_ids.profile_id
LEFT JOIN "weft"."profiles__weft_trait_2" AS weft_t2 ON weft_t2.profile_id = weft_ids.profile_id
LEFT JOIN "weft"."profiles__weft_trait_3" AS weft_t3 ON weft_t3.profile_id = weft_ids.profile_id
LEFT JOIN "weft"."profiles__weft_trait_4" AS weft_t4 ON weft_t4.profile_id = weft_ids.profile_id
LEFT JOIN "weft"."profiles__weft_trait_5" AS weft_t5 ON weft_t5.profile_id = weft_ids.profile_id
CROSS JOIN (SELECT * FROM "weft"."profiles__weft_trait_5" WHERE profile_id IS NULL) AS weft_e5
LEFT JOIN "weft"."profiles__weft_trait_6" AS weft_t6 ON weft_t6.profile_id = weft_ids.profile_id
CROSS JOIN (SELECT * FROM "weft"."profiles__weft_trait_6" WHERE profile_id IS NULL) AS weft_e6
LEFT JOIN "weft"."profiles__weft_trait_7" AS weft_t7 ON weft_t7.profile_id = weft_ids.profile_id
CROSS JOIN (SELECT * FROM "weft"."profiles__weft_trait_7" WHERE profile_id IS NULL) AS weft_e7
LEFT JOIN "weft"."profiles__weft_trait_8" AS weft_t8 ON weft_t8.profile_id = weft_ids.profile_id
LEFT JOIN "weft"."profiles__weft_trait_9" AS weft_t9 ON weft_t9.profile_id = weft_ids.profile_id
LEFT JOIN "weft"."profiles__weft_trait_10" AS weft_t10 ON weft_t10.profile_id = weft_ids.profile_id
LEFT JOIN "weft"."profiles__weft_trait_11" AS weft_t11 ON weft_t11.profile_id = weft_ids.profile_id
CROSS JOIN (SELECT * FROM "weft"."profiles__weft_trait_11" WHERE profile_id IS NULL) AS weft_e11
LEFT JOIN "weft"."profiles__weft_trait_12" AS weft_t12 ON weft_t12.profile_id = weft_ids.profile_id
LEFT JOIN "weft"."profiles__weft_trait_13" AS weft_t13 ON weft_t13.profile_id = weft_ids.profile_id
CROSS JOIN (SELECT * FROM "weft"."profiles__weft_trait_13" WHERE profile_id IS NULL) AS weft_e13
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('profiles')
;

ALTER TABLE "weft"."profiles" RENAME TO "weft"."profiles__weft_old"
;

ALTER TABLE "weft"."profiles__weft_tmp" RENAME TO "weft"."profiles"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_old"
;

SELECT count(*) AS row_count FROM "weft"."profiles"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_0"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_1"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_2"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_3"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_4"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_5"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_6"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_7"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_8"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_9"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_10"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_11"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_12"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_trait_13"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_source_0"
;

DROP TABLE IF EXISTS "weft"."profiles__weft_source_1"
;

CREATE SCHEMA IF NOT EXISTS "weft"
;

DROP TABLE IF EXISTS "weft"."audience_members__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."audience_members__weft_old"
;

CREATE OR REPLACE TABLE "weft"."audience_members__weft_tmp" ("audience" VARCHAR, "profile_id" VARCHAR, "split" VARCHAR)
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_churn_risk')
;

CREATE OR REPLACE VIEW "weft"."audience_churn_risk" AS
WITH weft_event_0 AS (
SELECT weft_ir.profile_id AS weft_profile_id, count(*) AS weft_count
FROM (SELECT *, CAST(CAST("order_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_shop_orders") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_shop_orders' AND weft_ir.row_key = weft_src.weft_row_key
WHERE (weft_src."created_at" >= DATEADD(day, (-90), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)) AND weft_src."created_at" <= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ)
GROUP BY weft_ir.profile_id
),
weft_event_1 AS (
SELECT weft_ir.profile_id AS weft_profile_id, count(*) AS weft_count
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_web_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_web_events' AND weft_ir.row_key = weft_src.weft_row_key
WHERE (weft_src."occurred_at" >= DATEADD(day, (-90), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)) AND weft_src."occurred_at" <= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ)
GROUP BY weft_ir.profile_id
),
weft_event_2 AS (
SELECT weft_ir.profile_id AS weft_profile_id, count(*) AS weft_count
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_app_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_app_events' AND weft_ir.row_key = weft_src.weft_row_key
WHERE (weft_src."occurred_at" >= DATEADD(day, (-90), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)) AND weft_src."occurred_at" <= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ)
GROUP BY weft_ir.profile_id
)
SELECT weft_p.profile_id, weft_p."email", weft_p."first_name", weft_p."lifetime_value", weft_p."last_order_at", weft_p."last_seen_at"
FROM "weft"."profiles" AS weft_p
LEFT JOIN weft_event_0 ON weft_event_0.weft_profile_id = weft_p.profile_id
LEFT JOIN weft_event_1 ON weft_event_1.weft_profile_id = weft_p.profile_id
LEFT JOIN weft_event_2 ON weft_event_2.weft_profile_id = weft_p.profile_id
WHERE (
    coalesce(weft_p."order_count" >= 1, FALSE)
    AND coalesce(weft_event_0.weft_count, 0) = 0
    AND coalesce(weft_event_1.weft_count, 0) = 0
    AND coalesce(weft_event_2.weft_count, 0) = 0
  )
;

INSERT INTO "weft"."audience_members__weft_tmp" ("audience", "profile_id", "split")
SELECT 'churn_risk' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS split
FROM "weft"."audience_churn_risk"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_enterprise_accounts')
;

CREATE OR REPLACE VIEW "weft"."audience_enterprise_accounts" AS
SELECT weft_p.profile_id, weft_p."email", weft_p."first_name", weft_p."company"
FROM "weft"."profiles" AS weft_p
WHERE coalesce(weft_p."plan" = 'enterprise', FALSE)
;

INSERT INTO "weft"."audience_members__weft_tmp" ("audience", "profile_id", "split")
SELECT 'enterprise_accounts' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS split
FROM "weft"."audience_enterprise_accounts"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_pricing_big_accounts')
;

CREATE OR REPLACE VIEW "weft"."audience_pricing_big_accounts" AS
WITH weft_event_0 AS (
SELECT weft_ir.profile_id AS weft_profile_id, count(*) AS weft_count
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_web_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_web_events' AND weft_ir.row_key = weft_src.weft_row_key
WHERE (weft_src."occurred_at" >= DATEADD(day, (-30), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)) AND weft_src."occurred_at" <= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ)
  AND weft_src."event_type" = 'pricing_page_view'
GROUP BY weft_ir.profile_id
)
SELECT weft_p.profile_id, weft_p."email", weft_p."first_name", weft_p."last_name", weft_p."company", weft_p."plan", weft_p."pricing_page_views"
FROM "weft"."profiles" AS weft_p
LEFT JOIN weft_event_0 ON weft_event_0.weft_profile_id = weft_p.profile_id
WHERE (
    coalesce(weft_event_0.weft_count, 0) >= 1
    AND coalesce(weft_p."plan" IN ('pro', 'enterprise'), FALSE)
  )
;

INSERT INTO "weft"."audience_members__weft_tmp" ("audience", "profile_id", "split")
SELECT 'pricing_big_accounts' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS split
FROM "weft"."audience_pricing_big_accounts"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_unsubscribed')
;

CREATE OR REPLACE VIEW "weft"."audience_unsubscribed" AS
SELECT weft_p.profile_id, weft_p."email"
FROM "weft"."profiles" AS weft_p
WHERE coalesce(weft_p."newsletter_subscribed" = FALSE, FALSE)
;

INSERT INTO "weft"."audience_members__weft_tmp" ("audience", "profile_id", "split")
SELECT 'unsubscribed' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS split
FROM "weft"."audience_unsubscribed"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_cart_abandoners')
;

CREATE OR REPLACE VIEW "weft"."audience_cart_abandoners" AS
WITH weft_event_0 AS (
SELECT weft_ir.profile_id AS weft_profile_id, count(*) AS weft_count
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_app_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_app_events' AND weft_ir.row_key = weft_src.weft_row_key
WHERE (weft_src."occurred_at" >= DATEADD(day, (-7), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)) AND weft_src."occurred_at" <= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ)
  AND weft_src."event_type" = 'add_to_cart'
GROUP BY weft_ir.profile_id
),
weft_event_1 AS (
SELECT weft_ir.profile_id AS weft_profile_id, count(*) AS weft_count
FROM (SELECT *, CAST(CAST("event_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_app_events") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_app_events' AND weft_ir.row_key = weft_src.weft_row_key
WHERE (weft_src."occurred_at" >= DATEADD(day, (-7), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)) AND weft_src."occurred_at" <= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ)
  AND weft_src."event_type" = 'purchase'
GROUP BY weft_ir.profile_id
),
weft_event_2 AS (
SELECT weft_ir.profile_id AS weft_profile_id, count(*) AS weft_count
FROM (SELECT *, CAST(CAST("order_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_shop_orders") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_shop_orders' AND weft_ir.row_key = weft_src.weft_row_key
WHERE (weft_src."created_at" >= DATEADD(day, (-7), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)) AND weft_src."created_at" <= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ)
GROUP BY weft_ir.profile_id
)
SELECT weft_p.profile_id, weft_p."email", weft_p."first_name", weft_p."app_platform"
FROM "weft"."profiles" AS weft_p
LEFT JOIN weft_event_0 ON weft_event_0.weft_profile_id = weft_p.profile_id
LEFT JOIN weft_event_1 ON weft_event_1.weft_profile_id = weft_p.profile_id
LEFT JOIN weft_event_2 ON weft_event_2.weft_profile_id = weft_p.profile_id
WHERE (
    coalesce(weft_event_0.weft_count, 0) >= 1
    AND coalesce(weft_event_1.weft_count, 0) = 0
    AND coalesce(weft_event_2.weft_count, 0) = 0
  )
  AND NOT (EXISTS (SELECT 1 FROM "weft"."audience_unsubscribed" AS weft_m WHERE weft_m.profile_id = weft_p.profile_id))
;

INSERT INTO "weft"."audience_members__weft_tmp" ("audience", "profile_id", "split")
SELECT 'cart_abandoners' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS split
FROM "weft"."audience_cart_abandoners"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_high_value_recent')
;

CREATE OR REPLACE VIEW "weft"."audience_high_value_recent" AS
WITH weft_event_0 AS (
SELECT weft_ir.profile_id AS weft_profile_id, count(*) AS weft_count
FROM (SELECT *, CAST(CAST("order_id" AS VARCHAR) AS VARCHAR) AS weft_row_key FROM "weft"."stg_shop_orders") AS weft_src
JOIN "weft"."identity_rows" AS weft_ir
  ON weft_ir.source = 'stg_shop_orders' AND weft_ir.row_key = weft_src.weft_row_key
WHERE (weft_src."created_at" >= DATEADD(day, (-90), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)) AND weft_src."created_at" <= '2025-06-01 00:00:00.000'::TIMESTAMP_NTZ)
  AND weft_src."status" = 'paid'
GROUP BY weft_ir.profile_id
)
SELECT weft_p.profile_id, weft_p."email", weft_p."phone", weft_p."first_name", weft_p."last_name", weft_p."lifetime_value", weft_p."last_order_at"
FROM "weft"."profiles" AS weft_p
LEFT JOIN weft_event_0 ON weft_event_0.weft_profile_id = weft_p.profile_id
WHERE (
    coalesce(weft_p."lifetime_value" >= 500, FALSE)
    AND coalesce(weft_p."email" IS NOT NULL, FALSE)
    AND coalesce(weft_event_0.weft_count, 0) >= 1
  )
  AND NOT (EXISTS (SELECT 1 FROM "weft"."audience_unsubscribed" AS weft_m WHERE weft_m.profile_id = weft_p.profile_id))
;

INSERT INTO "weft"."audience_members__weft_tmp" ("audience", "profile_id", "split")
SELECT 'high_value_recent' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS split
FROM "weft"."audience_high_value_recent"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_vip_top_spenders')
;

CREATE OR REPLACE VIEW "weft"."audience_vip_top_spenders" AS
SELECT weft_p.profile_id, weft_p."email", weft_p."first_name", weft_p."last_name", weft_p."lifetime_value"
FROM "weft"."profiles" AS weft_p
WHERE (
    EXISTS (SELECT 1 FROM "weft"."audience_high_value_recent" AS weft_m WHERE weft_m.profile_id = weft_p.profile_id)
    AND coalesce(weft_p."lifetime_value" >= 3000, FALSE)
  )
;

INSERT INTO "weft"."audience_members__weft_tmp" ("audience", "profile_id", "split")
SELECT 'vip_top_spenders' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST(NULL AS VARCHAR) AS split
FROM "weft"."audience_vip_top_spenders"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_win_back')
;

CREATE OR REPLACE VIEW "weft"."audience_win_back" AS
SELECT profile_id, "email", "first_name", "lifetime_value", "last_order_at", CASE WHEN weft_bucket < 10 THEN 'control' WHEN weft_bucket < 100 THEN 'treatment' END AS "split"
FROM (
SELECT weft_p.profile_id, weft_p."email", weft_p."first_name", weft_p."lifetime_value", weft_p."last_order_at", MOD(TO_NUMBER(UPPER(SUBSTR(SHA2('win_back:' || CAST(weft_p.profile_id AS VARCHAR), 256), 1, 8)), 'XXXXXXXX'), 100) AS weft_bucket
FROM "weft"."profiles" AS weft_p
WHERE (
    coalesce(weft_p."order_count" >= 2, FALSE)
    AND coalesce(weft_p."last_order_at" < DATEADD(day, (-180), CAST('2025-06-01 00:00:00.000'::TIMESTAMP_NTZ AS TIMESTAMP_NTZ)), FALSE)
  )
  AND NOT (EXISTS (SELECT 1 FROM "weft"."audience_unsubscribed" AS weft_m WHERE weft_m.profile_id = weft_p.profile_id))
) AS weft_members
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_win_back_control')
;

CREATE OR REPLACE VIEW "weft"."audience_win_back_control" AS
SELECT * FROM "weft"."audience_win_back" WHERE "split" = 'control'
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_win_back_treatment')
;

CREATE OR REPLACE VIEW "weft"."audience_win_back_treatment" AS
SELECT * FROM "weft"."audience_win_back" WHERE "split" = 'treatment'
;

INSERT INTO "weft"."audience_members__weft_tmp" ("audience", "profile_id", "split")
SELECT 'win_back' AS audience, CAST(profile_id AS VARCHAR) AS profile_id, CAST("split" AS VARCHAR) AS split
FROM "weft"."audience_win_back"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('weft') AND UPPER(table_name) = UPPER('audience_members')
;

ALTER TABLE "weft"."audience_members" RENAME TO "weft"."audience_members__weft_old"
;

ALTER TABLE "weft"."audience_members__weft_tmp" RENAME TO "weft"."audience_members"
;

DROP TABLE IF EXISTS "weft"."audience_members__weft_old"
;

DROP TABLE IF EXISTS "weft"."audience_members__weft_tmp"
;

DROP TABLE IF EXISTS "weft"."audience_members__weft_old"
;

SELECT audience, split, count(*) AS size, CAST(coalesce(sum(MOD(TO_NUMBER(UPPER(SUBSTR(SHA2(CAST(profile_id AS VARCHAR), 256), 1, 8)), 'XXXXXXXX'), 2147483647)), 0) AS VARCHAR) AS hash_a, CAST(coalesce(sum(MOD(TO_NUMBER(UPPER(SUBSTR(SHA2(CAST(profile_id AS VARCHAR) || '#', 256), 1, 8)), 'XXXXXXXX'), 2147483647)), 0) AS VARCHAR) AS hash_b
FROM "weft"."audience_members"
GROUP BY audience, split
;

CREATE SCHEMA IF NOT EXISTS "weft_state"
;

CREATE TABLE IF NOT EXISTS "weft_state"."audience_state" ("audience" VARCHAR, "built_at" TIMESTAMP_NTZ, "size" NUMBER(19,0), "fingerprint" VARCHAR, "changed_at" TIMESTAMP_NTZ, PRIMARY KEY ("audience"))
;

CREATE OR REPLACE TEMPORARY TABLE "weft_session"."weft_audience_state_new" AS
SELECT n.audience, '<now>'::TIMESTAMP_NTZ AS built_at, n.size, n.fingerprint,
  CASE WHEN o.fingerprint = n.fingerprint THEN o.changed_at ELSE '<now>'::TIMESTAMP_NTZ END AS changed_at
FROM (SELECT 'churn_risk' AS audience, CAST(9 AS NUMBER(19,0)) AS size, CAST('9:7686603144:7186687284' AS VARCHAR) AS fingerprint
UNION ALL
SELECT 'enterprise_accounts' AS audience, CAST(20 AS NUMBER(19,0)) AS size, CAST('20:22165818697:20241825824' AS VARCHAR) AS fingerprint
UNION ALL
SELECT 'pricing_big_accounts' AS audience, CAST(1 AS NUMBER(19,0)) AS size, CAST('1:687309165:1934329459' AS VARCHAR) AS fingerprint
UNION ALL
SELECT 'unsubscribed' AS audience, CAST(7 AS NUMBER(19,0)) AS size, CAST('7:6779426885:7850552440' AS VARCHAR) AS fingerprint
UNION ALL
SELECT 'cart_abandoners' AS audience, CAST(2 AS NUMBER(19,0)) AS size, CAST('2:1866324430:4134643501' AS VARCHAR) AS fingerprint
UNION ALL
SELECT 'high_value_recent' AS audience, CAST(18 AS NUMBER(19,0)) AS size, CAST('18:15955559704:14982844196' AS VARCHAR) AS fingerprint
UNION ALL
SELECT 'vip_top_spenders' AS audience, CAST(0 AS NUMBER(19,0)) AS size, CAST('0:0:0' AS VARCHAR) AS fingerprint
UNION ALL
SELECT 'win_back' AS audience, CAST(11 AS NUMBER(19,0)) AS size, CAST('11:12720354439:12192480123' AS VARCHAR) AS fingerprint) AS n
LEFT JOIN "weft_state"."audience_state" AS o ON o.audience = n.audience
;

DELETE FROM "weft_state"."audience_state" AS weft_target WHERE EXISTS (SELECT 1 FROM "weft_session"."weft_audience_state_new" AS weft_source WHERE weft_source."audience" = weft_target."audience")
;

INSERT INTO "weft_state"."audience_state" ("audience", "built_at", "size", "fingerprint", "changed_at")
SELECT audience, built_at, size, fingerprint, changed_at FROM "weft_session"."weft_audience_state_new"
;

DROP TABLE IF EXISTS "weft_session"."weft_audience_state_new"
;

DELETE FROM "weft_state"."audience_state" WHERE audience NOT IN ('cart_abandoners', 'churn_risk', 'enterprise_accounts', 'high_value_recent', 'pricing_big_accounts', 'unsubscribed', 'vip_top_spenders', 'win_back')
;

CREATE SCHEMA IF NOT EXISTS "weft_state"
;

CREATE TABLE IF NOT EXISTS "weft_state"."audience_sizes" ("audience" VARCHAR, "built_at" TIMESTAMP_NTZ, "size" NUMBER(19,0))
;

INSERT INTO "weft_state"."audience_sizes" ("audience", "built_at", "size")
SELECT CAST('churn_risk' AS VARCHAR) AS audience, '<now>'::TIMESTAMP_NTZ AS built_at, CAST(9 AS NUMBER(19,0)) AS size
UNION ALL
SELECT CAST('enterprise_accounts' AS VARCHAR) AS audience, '<now>'::TIMESTAMP_NTZ AS built_at, CAST(20 AS NUMBER(19,0)) AS size
UNION ALL
SELECT CAST('pricing_big_accounts' AS VARCHAR) AS audience, '<now>'::TIMESTAMP_NTZ AS built_at, CAST(1 AS NUMBER(19,0)) AS size
UNION ALL
SELECT CAST('unsubscribed' AS VARCHAR) AS audience, '<now>'::TIMESTAMP_NTZ AS built_at, CAST(7 AS NUMBER(19,0)) AS size
UNION ALL
SELECT CAST('cart_abandoners' AS VARCHAR) AS audience, '<now>'::TIMESTAMP_NTZ AS built_at, CAST(2 AS NUMBER(19,0)) AS size
UNION ALL
SELECT CAST('high_value_recent' AS VARCHAR) AS audience, '<now>'::TIMESTAMP_NTZ AS built_at, CAST(18 AS NUMBER(19,0)) AS size
UNION ALL
SELECT CAST('vip_top_spenders' AS VARCHAR) AS audience, '<now>'::TIMESTAMP_NTZ AS built_at, CAST(0 AS NUMBER(19,0)) AS size
UNION ALL
SELECT CAST('win_back' AS VARCHAR) AS audience, '<now>'::TIMESTAMP_NTZ AS built_at, CAST(11 AS NUMBER(19,0)) AS size
;

DELETE FROM "weft_state"."audience_sizes" WHERE built_at < (
  SELECT min(k.built_at) FROM (
    SELECT DISTINCT built_at FROM "weft_state"."audience_sizes" ORDER BY built_at DESC LIMIT 90
  ) AS k
)
;
