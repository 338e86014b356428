/**
 * Catalog queries of the Snowflake dialect: INFORMATION_SCHEMA of the current database.
 * Output columns are quoted lowercase aliases: Snowflake upper-cases unquoted ones (`kind` → KIND).
 */
import type { RelationRef } from '../types.js';
import { stringLiteral } from './dialect-literal.js';

/**
 * Schema and table name, compared without case: the client runs sessions with
 * QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE, so weft's quoted lowercase names and the unquoted ones
 * in shared SQL and user models all resolve (and are stored) upper-case, as Snowflake users
 * expect. The unqualified INFORMATION_SCHEMA is the current database's.
 */
function relationFilter(ref: RelationRef): string {
  return `UPPER(table_schema) = UPPER(${stringLiteral(ref.schema)}) AND UPPER(table_name) = UPPER(${stringLiteral(ref.name)})`;
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
  // Case-folding sessions store weft's names upper-case; report them as weft spells them (see read-values.ts columnKey).
  const name = `CASE WHEN column_name = UPPER(column_name) THEN LOWER(column_name) ELSE column_name END`;
  return `SELECT ${name} AS "name", ${type} AS "type" FROM INFORMATION_SCHEMA.COLUMNS WHERE ${relationFilter(ref)} ORDER BY ordinal_position`;
}
