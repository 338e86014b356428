/**
 * BigQuery DDL, DML and catalog queries. The standard-sql.ts statements quote with `"…"`, which
 * GoogleSQL reads as a string, so they are rebuilt here with backtick quoting.
 */
import { stripTrailingSemicolons } from '../sql-text.js';
import type { ColumnDef, LogicalType, RelationKind, RelationRef } from '../types.js';
import { literal, qualify, quoteIdent, SESSION_SCHEMA } from './dialect-literal.js';

/**
 * BigQuery type names, spelled as INFORMATION_SCHEMA.COLUMNS.data_type reports them. `json` is
 * a STRING holding JSON text: BigQuery's JSON type has no equality, so EXCEPT DISTINCT,
 * DISTINCT and GROUP BY over it would fail (JSON_VALUE/PARSE_JSON still read the text).
 */
export const typeNames: Record<LogicalType, string> = {
  string: 'STRING',
  integer: 'INT64',
  bigint: 'INT64',
  double: 'FLOAT64',
  boolean: 'BOOL',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  json: 'STRING',
};

/** A query embedded in a statement; the newline keeps a trailing `-- comment` off what follows. */
function body(select: string): string {
  return `\n${stripTrailingSemicolons(select)}\n`;
}

/** Backtick-quoted, comma-separated column names (at least one). */
function columnList(columns: string[]): string {
  if (columns.length === 0) throw new Error('At least one column is required');
  return columns.map(quoteIdent).join(', ');
}

/**
 * `CREATE TABLE` with explicit columns. BigQuery never enforces keys, so the primary key is
 * declared `NOT ENFORCED` (the only form it accepts): a second row per key is not rejected.
 */
export function createTable(
  ref: RelationRef,
  columns: ColumnDef[],
  options?: { replace?: boolean; primaryKey?: string[] },
): string {
  if (columns.length === 0) throw new Error(`Table ${qualify(ref)} needs at least one column`);
  const definitions = columns.map((column) => `${quoteIdent(column.name)} ${typeNames[column.type]}`);
  if (options?.primaryKey?.length) {
    definitions.push(`PRIMARY KEY (${columnList(options.primaryKey)}) NOT ENFORCED`);
  }
  // Without `replace` an existing table is kept (IF NOT EXISTS), which makes append-mode loads idempotent.
  const head = options?.replace ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE IF NOT EXISTS';
  return `${head} ${qualify(ref)} (${definitions.join(', ')})`;
}

/** `CREATE OR REPLACE TABLE … AS select`. */
export function createTableAs(ref: RelationRef, select: string): string {
  return `CREATE OR REPLACE TABLE ${qualify(ref)} AS${body(select)}`;
}

/**
 * A session temp table: `CREATE OR REPLACE TEMP TABLE _SESSION.`name` AS …`. It only exists in
 * a BigQuery session (the client runs every statement in one) and is read as `_SESSION.`name``.
 */
export function createTempTableAs(ref: RelationRef, select: string): string {
  if (ref.schema !== SESSION_SCHEMA) {
    throw new Error(`BigQuery temp tables live in ${SESSION_SCHEMA} (use tempRelation), got ${ref.schema}`);
  }
  return `CREATE OR REPLACE TEMP TABLE ${qualify(ref)} AS${body(select)}`;
}

/** `CREATE OR REPLACE VIEW … AS select`. */
export function createView(ref: RelationRef, select: string): string {
  return `CREATE OR REPLACE VIEW ${qualify(ref)} AS${body(select)}`;
}

/** Drops a table (session temp tables too) or view if it exists. */
export function dropRelation(ref: RelationRef, kind: RelationKind): string {
  return `DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${qualify(ref)}`;
}

/** `ALTER TABLE … RENAME TO`: the new name is unqualified (same dataset). */
export function renameTable(from: RelationRef, toName: string): string {
  return `ALTER TABLE ${qualify(from)} RENAME TO ${quoteIdent(toName)}`;
}

/** `INSERT INTO ref (columns) select`. */
export function insertSelect(ref: RelationRef, columns: string[], select: string): string {
  return `INSERT INTO ${qualify(ref)} (${columnList(columns)})${body(select)}`;
}

/** `a.k = b.k AND …` over the key columns. */
function keyMatch(keyColumns: string[], a: string, b: string): string {
  if (keyColumns.length === 0) throw new Error('At least one key column is required');
  return keyColumns.map((key) => `${a}.${quoteIdent(key)} = ${b}.${quoteIdent(key)}`).join(' AND ');
}

/** Deletes rows of `target` whose key columns match a row of `source` (BigQuery DELETE needs a WHERE). */
export function deleteMatching(target: RelationRef, source: RelationRef, keyColumns: string[]): string {
  const conditions = keyMatch(keyColumns, 'weft_source', 'weft_target');
  return `DELETE FROM ${qualify(target)} AS weft_target WHERE EXISTS (SELECT 1 FROM ${qualify(source)} AS weft_source WHERE ${conditions})`;
}

/** Set difference with duplicates removed: BigQuery requires the explicit `EXCEPT DISTINCT`. */
export function except(a: string, b: string): string {
  return `(${body(a)})\nEXCEPT DISTINCT\n(${body(b)})`;
}

/** One BigQuery `MERGE` (see `Dialect.merge`); BigQuery requires at most one source row per target row. */
export function merge(
  target: RelationRef,
  source: string,
  keyColumns: string[],
  columns: string[],
  options: { deleteWhen?: string } = {},
): string[] {
  const lines = [
    `MERGE ${qualify(target)} AS weft_target`,
    `USING (${body(source)}) AS weft_source`,
    `ON ${keyMatch(keyColumns, 'weft_target', 'weft_source')}`,
  ];
  if (options.deleteWhen) lines.push(`WHEN MATCHED AND (${options.deleteWhen}) THEN DELETE`);
  if (columns.length > 0) {
    const sets = columns.map((column) => `${quoteIdent(column)} = weft_source.${quoteIdent(column)}`);
    lines.push(`WHEN MATCHED THEN UPDATE SET ${sets.join(', ')}`);
  }
  const all = [...keyColumns, ...columns];
  const insertWhen = options.deleteWhen ? ` AND NOT COALESCE((${options.deleteWhen}), FALSE)` : '';
  const values = all.map((column) => `weft_source.${quoteIdent(column)}`).join(', ');
  lines.push(`WHEN NOT MATCHED${insertWhen} THEN INSERT (${columnList(all)}) VALUES (${values})`);
  return [lines.join('\n')];
}

/**
 * The dataset's INFORMATION_SCHEMA view. BigQuery answers 404 when the dataset does not exist;
 * the client turns that into zero rows. Session temp tables live in an anonymous dataset whose
 * INFORMATION_SCHEMA cannot be reached as `_SESSION`: refused here, since a query against a
 * `_SESSION` dataset would 404 and so read as "no such relation" instead of failing.
 */
function catalog(ref: RelationRef, view: 'TABLES' | 'COLUMNS'): string {
  if (ref.schema === SESSION_SCHEMA) {
    throw new Error(`BigQuery has no INFORMATION_SCHEMA for session temp tables (${qualify(ref)})`);
  }
  return `${quoteIdent(ref.schema)}.INFORMATION_SCHEMA.${view} WHERE table_name = ${literal(ref.name)}`;
}

/** `{kind}` per relation named `ref` (names are case-sensitive in BigQuery); materialized views count as views. */
export function relationKindQuery(ref: RelationRef): string {
  return `SELECT CASE WHEN table_type IN ('VIEW', 'MATERIALIZED VIEW') THEN 'view' ELSE 'table' END AS kind FROM ${catalog(ref, 'TABLES')}`;
}

/** `{name, type}` per column, in ordinal order; types are spelled like `typeNames`. */
export function columnsQuery(ref: RelationRef): string {
  return `SELECT column_name AS name, data_type AS type FROM ${catalog(ref, 'COLUMNS')} ORDER BY ordinal_position`;
}
