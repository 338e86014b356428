SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('truth') AND UPPER(table_name) = UPPER('weft_seeded_tables')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('raw') AND UPPER(table_name) = UPPER('customers')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('raw') AND UPPER(table_name) = UPPER('orders')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('raw') AND UPPER(table_name) = UPPER('contacts')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('raw') AND UPPER(table_name) = UPPER('events')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('raw') AND UPPER(table_name) = UPPER('tickets')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('raw') AND UPPER(table_name) = UPPER('signups')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('raw') AND UPPER(table_name) = UPPER('app_events')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('raw') AND UPPER(table_name) = UPPER('devices')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('truth') AND UPPER(table_name) = UPPER('people')
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('truth') AND UPPER(table_name) = UPPER('row_person')
;

CREATE SCHEMA IF NOT EXISTS "raw"
;

CREATE SCHEMA IF NOT EXISTS "truth"
;

CREATE SCHEMA IF NOT EXISTS "truth"
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('truth') AND UPPER(table_name) = UPPER('weft_seeded_tables')
;

CREATE TABLE IF NOT EXISTS "truth"."weft_seeded_tables" ("table_name" VARCHAR)
;

SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('truth') AND UPPER(table_name) = UPPER('weft_seeded_tables')
;

SELECT table_name FROM "truth"."weft_seeded_tables"
;

INSERT INTO "truth"."weft_seeded_tables" (table_name) VALUES ('raw.customers'), ('raw.orders'), ('raw.contacts'), ('raw.events'), ('raw.tickets'), ('raw.signups'), ('raw.app_events'), ('raw.devices'), ('truth.people'), ('truth.row_person')
;

-- load "raw"."customers" (customer_id, email, phone, first_name, last_name, created_at, updated_at, account_manager)
;

-- load "raw"."orders" (order_id, customer_id, amount, currency, status, created_at)
;

-- load "raw"."contacts" (contact_id, email, phone, first_name, last_name, company, plan, updated_at)
;

-- load "raw"."events" (event_id, anonymous_id, user_id, event_type, url, ts)
;

-- load "raw"."tickets" (ticket_id, email, subject, priority, status, created_at)
;

-- load "raw"."signups" (signup_id, email, source, subscribed_at, unsubscribed_at)
;

-- load "raw"."app_events" (event_id, device_id, user_id, platform, event_type, ts)
;

-- load "raw"."devices" (device_id, customer_id, model, installed_at)
;

-- load "truth"."people" (person_id, first_name, last_name, email, phone)
;

-- load "truth"."row_person" (source_table, row_key, person_id)
;
