/**
 * Catalog queries of the Snowflake dialect: INFORMATION_SCHEMA of the current database.
 * Output columns are quoted lowercase aliases: Snowflake upper-cases unquoted ones (`kind` → KIND).
 */
import type { RelationRef } from '../types.js';
import { stringLiteral } from './dialect-literal.js';

/**
 * Exact schema and table name: weft quotes every identifier, and Snowflake stores a quoted name
 * as written (an unquoted one in user SQL is stored upper-case, so `my_table` there is
 * "MY_TABLE"). The unqualified INFORMATION_SCHEMA is the current database's.
 */
function relationFilter(ref: RelationRef): string {
  return `table_schema = ${stringLiteral(ref.schema)} AND table_name = ${stringLiteral(ref.name)}`;
}

/**
 * `{kind}` per relation named `ref`. TABLE_TYPE is BASE TABLE (also for transient tables),
 * TEMPORARY TABLE, EXTERNAL TABLE, VIEW or MATERIALIZED VIEW: the views are 'view', the rest 'table'.
 */
export function relationKindQuery(ref: RelationRef): string {
  return `SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS "kind" FROM INFORMATION_SCHEMA.TABLES WHERE ${relationFilter(ref)}`;
}

/**
 * `{name, type}` per column in ordinal order, with DATA_TYPE's spellings mapped back to the
 * dialect's `typeName`s: TEXT (any VARCHAR) → VARCHAR, NUMBER → NUMBER(precision,scale);
 * FLOAT, BOOLEAN, DATE, TIMESTAMP_NTZ … are reported as they are named.
 */
export function columnsQuery(ref: RelationRef): string {
  const type = `CASE data_type WHEN 'TEXT' THEN 'VARCHAR' WHEN 'NUMBER' THEN 'NUMBER(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END`;
  return `SELECT column_name AS "name", ${type} AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE ${relationFilter(ref)} ORDER BY ordinal_position`;
}
