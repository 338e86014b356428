/**
 * What the emulator's DuckDB database holds besides user data: macros for Snowflake functions
 * polyglot passes through unchanged, and INFORMATION_SCHEMA views with Snowflake's spellings
 * (DATA_TYPE TEXT / NUMBER / FLOAT / BOOLEAN / TIMESTAMP_NTZ / DATE / VARIANT, NUMBER precision
 * and scale, TABLE_TYPE BASE TABLE / TEMPORARY TABLE / VIEW). DuckDB's own information_schema is
 * evaluated per connection, so each session sees its temp tables, reported in `weft_session`.
 * The `_folded` views list names upper-case, as sessions with QUOTED_IDENTIFIERS_IGNORE_CASE see them.
 */

const snowflakeType = `CASE
  WHEN data_type = 'VARCHAR' THEN 'TEXT'
  WHEN data_type LIKE 'DECIMAL%' OR data_type IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT') THEN 'NUMBER'
  WHEN data_type IN ('DOUBLE', 'FLOAT') THEN 'FLOAT'
  WHEN data_type = 'TIMESTAMP' THEN 'TIMESTAMP_NTZ'
  WHEN data_type = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_TZ'
  WHEN data_type = 'JSON' THEN 'VARIANT'
  WHEN data_type = 'BLOB' THEN 'BINARY'
  ELSE data_type END`;

const schemaName = `CASE WHEN table_catalog = 'temp' THEN 'weft_session' ELSE table_schema END`;

/** Statements run once on the emulator's database. */
export const catalogSetup = [
  'CREATE SCHEMA weft_emulator',
  // SHA2(x, 256) → sha256 (lowercase hex, as Snowflake's), for SQL polyglot leaves as it is.
  'CREATE MACRO sha2(x, bits) AS sha256(x)',
  // TO_NUMBER(text, 'XXXXXXXX'): the hex format weft uses.
  "CREATE MACRO to_number(x, fmt) AS CAST(('0x' || x) AS UBIGINT)",
  `CREATE VIEW weft_emulator.tables AS
   SELECT upper(current_database()) AS table_catalog, ${schemaName} AS table_schema, table_name,
     CASE table_type WHEN 'LOCAL TEMPORARY' THEN 'TEMPORARY TABLE' ELSE table_type END AS table_type
   FROM information_schema.tables WHERE table_schema <> 'weft_emulator'`,
  `CREATE VIEW weft_emulator.columns AS
   SELECT upper(current_database()) AS table_catalog, ${schemaName} AS table_schema, table_name, column_name,
     ordinal_position, ${snowflakeType} AS data_type,
     CASE WHEN data_type LIKE 'DECIMAL%' THEN numeric_precision WHEN ${snowflakeType} = 'NUMBER' THEN 38 END AS numeric_precision,
     CASE WHEN data_type LIKE 'DECIMAL%' THEN numeric_scale WHEN ${snowflakeType} = 'NUMBER' THEN 0 END AS numeric_scale,
     is_nullable
   FROM information_schema.columns WHERE table_schema <> 'weft_emulator'`,
  // With QUOTED_IDENTIFIERS_IGNORE_CASE every name is stored (and listed) upper-case.
  `CREATE VIEW weft_emulator.tables_folded AS
   SELECT table_catalog, upper(table_schema) AS table_schema, upper(table_name) AS table_name, table_type
   FROM weft_emulator.tables`,
  `CREATE VIEW weft_emulator.columns_folded AS
   SELECT * REPLACE (upper(table_schema) AS table_schema, upper(table_name) AS table_name, upper(column_name) AS column_name)
   FROM weft_emulator.columns`,
];
