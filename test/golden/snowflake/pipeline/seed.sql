CREATE SCHEMA IF NOT EXISTS "raw"
;

CREATE SCHEMA IF NOT EXISTS "truth"
;

-- load "raw"."customers" (customer_id, email, phone, first_name, last_name, created_at, updated_at)
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

-- load "truth"."people" (person_id, first_name, last_name, email, phone)
;

-- load "truth"."row_person" (source_table, row_key, person_id)
;
