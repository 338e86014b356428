-- literal
SELECT '', 'it''s', '''''', 'say "hi"', 'back\\slash', 'trailing\\', '\\\\double', '\\n is not a newline', 'line1
line2', '-- not a comment', '/* nor this */', '🦆 ünïcødé', '''; DROP TABLE x; --', '$$dollar$$' FROM t
;

-- literal
SELECT 1, (-2.5), 1e+21, 7, 'NaN'::FLOAT, TRUE, NULL, '1970-01-01 00:00:00.000'::TIMESTAMP_NTZ, ('a' || CHR(0) || 'b') FROM t
;

-- cast
SELECT CAST(x AS VARCHAR), CAST(x AS NUMBER(10,0)), CAST(x AS NUMBER(19,0)), CAST(x AS FLOAT), CAST(x AS BOOLEAN), CAST(x AS TIMESTAMP_NTZ), CAST(x AS DATE), CAST(x AS VARCHAR) FROM t
;

-- sha256
SELECT SHA2(x, 256) FROM t
;

-- regexpReplaceAll
SELECT REGEXP_REPLACE(x, '\\+.*$', '\\1') FROM t
;

-- regexpMatches
SELECT (REGEXP_INSTR(x, '^ A\\.b') > 0) FROM t
;

-- trimChars
SELECT TRIM(x, ' ''\\	') FROM t
;

-- substring
SELECT SUBSTR(x, 2, 3) FROM t
;

-- rowHash
SELECT md5(concat_ws(chr(31), coalesce('=' || CAST(x AS VARCHAR), '~'), coalesce('=' || CAST("y" AS VARCHAR), '~'), coalesce('=' || CAST(1 AS VARCHAR), '~'))) FROM t
;

-- currentTimestamp
SELECT SYSDATE() FROM t
;

-- addDays
SELECT DATEADD(day, (-3), CAST(x AS TIMESTAMP_NTZ)), DATEADD(day, 2, CAST(x AS TIMESTAMP_NTZ)) FROM t
;

-- textMatches
SELECT (x LIKE '%\\%\\_\\\\''%' ESCAPE '\\'), (x LIKE '\\%\\_\\\\''%' ESCAPE '\\'), (x LIKE '%\\%\\_\\\\''' ESCAPE '\\') FROM t
;

-- hashBucket
SELECT MOD(TO_NUMBER(UPPER(SUBSTR(SHA2(x, 256), 1, 8)), 'XXXXXXXX'), 10) FROM t
;

-- splitPart
SELECT SPLIT_PART(x, '\\', 2) FROM t
;

-- stringAgg
SELECT CASE WHEN COUNT(x) > 0 THEN LISTAGG(x, ', ') WITHIN GROUP (ORDER BY y DESC) END, CASE WHEN COUNT(x) > 0 THEN LISTAGG(x, '') END FROM t
;

-- merge
MERGE INTO "s"."t" AS weft_target
USING (
select 1 as "k" -- c
) AS weft_source
ON weft_target."k" = weft_source."k"
WHEN MATCHED AND (weft_source."v" IS NULL) THEN DELETE
WHEN MATCHED THEN UPDATE SET "v" = weft_source."v"
WHEN NOT MATCHED AND NOT coalesce((weft_source."v" IS NULL), FALSE) THEN INSERT ("k", "v") VALUES (weft_source."k", weft_source."v")
;

-- merge
MERGE INTO "s"."t" AS weft_target
USING (
select 1 as "k"
) AS weft_source
ON weft_target."k" = weft_source."k"
WHEN NOT MATCHED THEN INSERT ("k") VALUES (weft_source."k")
;

-- createSchema
CREATE SCHEMA IF NOT EXISTS "s"
;

-- createTable
CREATE OR REPLACE TABLE "s"."t" ("string" VARCHAR, "integer" NUMBER(10,0), "bigint" NUMBER(19,0), "double" FLOAT, "boolean" BOOLEAN, "timestamp" TIMESTAMP_NTZ, "date" DATE, "json" VARCHAR, PRIMARY KEY ("string", "date"))
;

-- createTable
CREATE TABLE IF NOT EXISTS "s"."t" ("id" NUMBER(19,0))
;

-- createTableAs
CREATE OR REPLACE TRANSIENT TABLE "s"."t" AS
select 1 -- c
;

-- createTempTableAs
CREATE OR REPLACE TEMPORARY TABLE "weft_session"."w" AS
select 1
;

-- createView
CREATE OR REPLACE VIEW "s"."t" AS
select 1
;

-- dropRelation
DROP TABLE IF EXISTS "s"."t";
DROP VIEW IF EXISTS "s"."t"
;

-- renameTable
ALTER TABLE "s"."t" RENAME TO "s"."u"
;

-- addColumn
ALTER TABLE "s"."t" ADD COLUMN IF NOT EXISTS "new col" FLOAT
;

-- insertSelect
INSERT INTO "s"."t" ("a", "b")
select 1, 2
;

-- deleteMatching
DELETE FROM "s"."t" AS weft_target WHERE EXISTS (SELECT 1 FROM "s"."k" AS weft_source WHERE weft_source."a" = weft_target."a" AND weft_source."b" = weft_target."b")
;

-- except
(
select 1 -- c
)
EXCEPT
(
select 2
)
;

-- relationKindQuery
SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(table_schema) = UPPER('My Schema') AND UPPER(table_name) = UPPER('o''k')
;

-- columnsQuery
SELECT CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END AS "name", CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(table_schema) = UPPER('s') AND UPPER(table_name) = UPPER('t') ORDER BY ordinal_position
;
