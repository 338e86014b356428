-- expressions
SELECT 'it\'s\n\\ 🦆\x00',
  (-5),
  NUMERIC '12345678901234567890',
  CAST('NaN' AS FLOAT64),
  TIMESTAMP '2024-02-29 23:59:58.123',
  CAST('a,b' AS STRING),
  TO_HEX(SHA256('a,b')),
  REGEXP_REPLACE('a,b', '\\+.*$', '\\1!'),
  REGEXP_CONTAINS('a,b', '^a\''),
  TRIM('a,b', ' \'\\'),
  SUBSTR('a,b', 2, 3),
  TO_HEX(MD5(ARRAY_TO_STRING([COALESCE('=' || CAST('a,b' AS STRING), '~'), COALESCE('=' || CAST(NULL AS STRING), '~'), COALESCE('=' || CAST(1 AS STRING), '~')], CHR(31)))),
  CURRENT_TIMESTAMP(),
  TIMESTAMP_SUB(CAST(DATE '2024-03-01' AS TIMESTAMP), INTERVAL 1 DAY),
  (STRPOS('a,b', '%_\\') > 0),
  STARTS_WITH('a,b', 'a'),
  ENDS_WITH('a,b', 'b'),
  MOD(CAST(CONCAT('0x', SUBSTR(TO_HEX(SHA256('a,b')), 1, 8)) AS INT64), 100),
  COALESCE(SPLIT('a,b', ',')[SAFE_OFFSET(1)], LEFT('a,b', 0));

-- stringAgg
SELECT STRING_AGG(x, ', ' ORDER BY x DESC) FROM UNNEST(['a', 'b']) AS x;

-- merge
MERGE `bq ds`.`my\`table` AS weft_target
USING (
SELECT 1 AS k, 2 AS `v w`, FALSE AS gone -- c
) AS weft_source
ON weft_target.`k` = weft_source.`k`
WHEN MATCHED AND (weft_source.gone) THEN DELETE
WHEN MATCHED THEN UPDATE SET `v w` = weft_source.`v w`
WHEN NOT MATCHED AND NOT COALESCE((weft_source.gone), FALSE) THEN INSERT (`k`, `v w`) VALUES (weft_source.`k`, weft_source.`v w`);

-- mergeKeysOnly
MERGE `bq ds`.`my\`table` AS weft_target
USING (
SELECT 1 AS k
) AS weft_source
ON weft_target.`k` = weft_source.`k`
WHEN NOT MATCHED THEN INSERT (`k`) VALUES (weft_source.`k`);

-- createSchema
CREATE SCHEMA IF NOT EXISTS `bq ds`;

-- createTable
CREATE TABLE IF NOT EXISTS `bq ds`.`my\`table` (`c string` STRING, `c integer` INT64, `c bigint` INT64, `c double` FLOAT64, `c boolean` BOOL, `c timestamp` TIMESTAMP, `c date` DATE, `c json` STRING, PRIMARY KEY (`c string`) NOT ENFORCED);

-- replaceTable
CREATE OR REPLACE TABLE `bq ds`.`my\`table` (`b` STRING);

-- createTableAs
CREATE OR REPLACE TABLE `bq ds`.`my\`table` AS
SELECT 1 AS a -- comment
;

-- createTempTableAs
CREATE OR REPLACE TEMP TABLE _SESSION.`scratch x` AS
SELECT 1 AS a
;

-- dropTemp
DROP TABLE IF EXISTS _SESSION.`scratch x`;

-- createView
CREATE OR REPLACE VIEW `bq ds`.`my\`table` AS
SELECT 1 AS a
;

-- dropView
DROP VIEW IF EXISTS `bq ds`.`my\`table`;

-- dropTable
DROP TABLE IF EXISTS `bq ds`.`my\`table`;

-- renameTable
ALTER TABLE `bq ds`.`my\`table` RENAME TO `new name`;

-- addColumn
ALTER TABLE `bq ds`.`my\`table` ADD COLUMN IF NOT EXISTS `new col` FLOAT64;

-- insertSelect
INSERT INTO `bq ds`.`my\`table` (`a`, `b c`)
SELECT 1, 2
;

-- deleteMatching
DELETE FROM `bq ds`.`my\`table` AS weft_target WHERE EXISTS (SELECT 1 FROM _SESSION.`scratch x` AS weft_source WHERE weft_source.`k1` = weft_target.`k1` AND weft_source.`k 2` = weft_target.`k 2`);

-- except
(
SELECT 1 AS x -- c
)
EXCEPT DISTINCT
(
SELECT 2 AS x
);

-- relationKindQuery
SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS kind FROM `bq ds`.INFORMATION_SCHEMA.TABLES WHERE table_name = 'my`table';

-- columnsQuery
SELECT column_name AS name, data_type AS type FROM `ds`.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'it\'s' ORDER BY ordinal_position;
