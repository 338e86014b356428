/**
 * SQL pieces that read the same on every engine (standard quoting, DELETE … WHERE EXISTS,
 * EXCEPT, LIKE with escapes, an MD5 row hash): the dialects compose them with their own
 * literals and type names. Strings only, like the dialects.
 */
import { stripTrailingSemicolons } from './sql-text.js';
import type { RelationKind, RelationRef } from './types.js';

/** `"name"` with embedded double quotes doubled. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('An SQL identifier cannot be empty');
  if (name.includes('\0')) throw new Error('An SQL identifier cannot contain a NUL character');
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"`. */
export function qualify(ref: RelationRef): string {
  return `${quoteIdent(ref.schema)}.${quoteIdent(ref.name)}`;
}

/** Negative numbers are parenthesised so `a -` + literal can never form a `--` comment. */
export function numericLiteral(text: string): string {
  return text.startsWith('-') ? `(${text})` : text;
}

/** Quoted, comma-separated column names (at least one). */
export function columnList(columns: string[]): string {
  if (columns.length === 0) throw new Error('At least one column is required');
  return columns.map(quoteIdent).join(', ');
}

/** `value` when it is a safe integer, else an error naming `what`. */
export function wholeNumber(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new Error(`${what} must be a whole number, got ${value}`);
  return value;
}

/** The column definitions of a CREATE TABLE, with a PRIMARY KEY when given. */
export function tableBody(
  ref: RelationRef,
  columns: Array<{ name: string; type: string }>,
  primaryKey?: string[],
): string {
  if (columns.length === 0) throw new Error(`Table ${qualify(ref)} needs at least one column`);
  const definitions = columns.map((column) => `${quoteIdent(column.name)} ${column.type}`);
  if (primaryKey?.length) definitions.push(`PRIMARY KEY (${columnList(primaryKey)})`);
  return definitions.join(', ');
}

/** Deletes rows of `target` whose key columns match a row of `source`. */
export function deleteMatching(target: RelationRef, source: RelationRef, keyColumns: string[]): string {
  if (keyColumns.length === 0) throw new Error('deleteMatching needs at least one key column');
  const conditions = keyColumns
    .map((key) => `weft_source.${quoteIdent(key)} = weft_target.${quoteIdent(key)}`)
    .join(' AND ');
  return `DELETE FROM ${qualify(target)} AS weft_target WHERE EXISTS (SELECT 1 FROM ${qualify(source)} AS weft_source WHERE ${conditions})`;
}

/**
 * MD5 over the values as text (`textType`): a NULL becomes `~`, any value gets a `=` prefix (so
 * NULL and the text '~' differ), joined with the unit separator chr(31).
 */
export function rowHash(exprs: string[], textType: string): string {
  if (exprs.length === 0) throw new Error('rowHash needs at least one expression');
  const parts = exprs.map((expr) => `coalesce('=' || CAST(${expr} AS ${textType}), '~')`);
  return `md5(concat_ws(chr(31), ${parts.join(', ')}))`;
}

/** Infinite dates and timestamps, or past a JS Date's last day (Postgres and DuckDB spell both alike). */
export function beyondJsDate(expr: string): string {
  return `(NOT isfinite(${expr}) OR ${expr} > TIMESTAMP '275760-09-13 00:00:00')`;
}

/** `LIKE` with `\` escaping `%`, `_` and itself in the searched text; literals by the dialect. */
export function textMatches(
  expr: string,
  text: string,
  how: 'contains' | 'starts_with' | 'ends_with',
  literal: (value: string) => string,
): string {
  const escaped = text.replace(/[\\%_]/g, '\\$&');
  const pattern =
    how === 'starts_with' ? `${escaped}%` : how === 'ends_with' ? `%${escaped}` : `%${escaped}%`;
  return `(${expr} LIKE ${literal(pattern)} ESCAPE ${literal('\\')})`;
}

/** Set difference; newlines before `)` keep a trailing `-- comment` from swallowing the paren. */
export function except(a: string, b: string): string {
  return `(\n${stripTrailingSemicolons(a)}\n)\nEXCEPT\n(\n${stripTrailingSemicolons(b)}\n)`;
}

/** `INSERT INTO ref (columns) select`. */
export function insertSelect(ref: RelationRef, columns: string[], select: string): string {
  return `INSERT INTO ${qualify(ref)} (${columnList(columns)})\n${stripTrailingSemicolons(select)}\n`;
}

/** Drops a table or view if it exists. */
export function dropRelation(ref: RelationRef, kind: RelationKind): string {
  return `DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${qualify(ref)}`;
}

/** `weft_target.k = weft_source.k AND …` for the key columns of a merge. */
function keyMatch(keyColumns: string[]): string {
  if (keyColumns.length === 0) throw new Error('merge needs at least one key column');
  return keyColumns
    .map((key) => `weft_target.${quoteIdent(key)} = weft_source.${quoteIdent(key)}`)
    .join(' AND ');
}

/**
 * Standard `MERGE INTO … USING (source) AS weft_source` (DuckDB 1.4+, Postgres 15+, Snowflake):
 * see `Dialect.merge`. `into` is the keyword before the target (`MERGE INTO` or BigQuery's `MERGE`).
 */
export function mergeStatement(
  target: RelationRef,
  source: string,
  keyColumns: string[],
  columns: string[],
  options: { deleteWhen?: string; into?: string } = {},
): string {
  const lines = [
    `${options.into ?? 'MERGE INTO'} ${qualify(target)} AS weft_target`,
    `USING (\n${stripTrailingSemicolons(source)}\n) AS weft_source`,
    `ON ${keyMatch(keyColumns)}`,
  ];
  if (options.deleteWhen) lines.push(`WHEN MATCHED AND (${options.deleteWhen}) THEN DELETE`);
  if (columns.length > 0) {
    const sets = columns.map((column) => `${quoteIdent(column)} = weft_source.${quoteIdent(column)}`);
    lines.push(`WHEN MATCHED THEN UPDATE SET ${sets.join(', ')}`);
  }
  const all = [...keyColumns, ...columns];
  const insertWhen = options.deleteWhen ? ` AND NOT coalesce((${options.deleteWhen}), FALSE)` : '';
  lines.push(
    `WHEN NOT MATCHED${insertWhen} THEN INSERT (${columnList(all)}) VALUES (${all.map((c) => `weft_source.${quoteIdent(c)}`).join(', ')})`,
  );
  return lines.join('\n');
}

/** The merge as a DELETE of every key in `source` then an INSERT of the rows not deleted (engines without MERGE). */
export function mergeFallback(
  target: RelationRef,
  source: string,
  keyColumns: string[],
  columns: string[],
  options: { deleteWhen?: string } = {},
): string[] {
  const from = `(\n${stripTrailingSemicolons(source)}\n) AS weft_source`;
  const all = [...keyColumns, ...columns];
  const keep = options.deleteWhen ? `\nWHERE NOT coalesce((${options.deleteWhen}), FALSE)` : '';
  return [
    `DELETE FROM ${qualify(target)} AS weft_target WHERE EXISTS (SELECT 1 FROM ${from} WHERE ${keyMatch(keyColumns)})`,
    `INSERT INTO ${qualify(target)} (${columnList(all)})\nSELECT ${all.map((c) => `weft_source.${quoteIdent(c)}`).join(', ')} FROM ${from}${keep}`,
  ];
}
