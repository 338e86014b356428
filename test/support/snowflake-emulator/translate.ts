/**
 * Snowflake SQL → DuckDB SQL for the emulator: polyglot's transpiler (test/support/sql-transpile.ts,
 * which parses with the real Snowflake grammar first) plus the emulator's own fix-ups, applied
 * outside string literals only:
 * - Snowflake type names polyglot leaves as they are (TIMESTAMPNTZ, TIMESTAMP_NTZ, VARIANT);
 * - `weft_session.x` (the schema weft keeps session temp tables in) → DuckDB's per-connection
 *   `temp.main.x`;
 * - `[db.]INFORMATION_SCHEMA.TABLES / COLUMNS` → the emulator's views with Snowflake's spellings
 *   (catalog.ts); their `_folded` variants (names upper-case) for sessions with
 *   QUOTED_IDENTIFIERS_IGNORE_CASE.
 */
import { transpileToDuckDB } from '../sql-transpile.js';

/** Splits DuckDB SQL into string-literal ('…', '' doubling, no backslash escapes) and other segments; `fn` rewrites the others. */
function outsideStrings(
  sql: string,
  fn: (code: string) => string,
  literal: (text: string) => string,
): string {
  let out = '';
  let index = 0;
  while (index < sql.length) {
    const quote = sql.indexOf("'", index);
    if (quote === -1) {
      out += fn(sql.slice(index));
      break;
    }
    out += fn(sql.slice(index, quote));
    let end = quote + 1;
    for (;;) {
      if (end >= sql.length) break;
      if (sql[end] === "'" && sql[end + 1] === "'") end += 2;
      else if (sql[end] === "'") break;
      else end++;
    }
    out += literal(sql.slice(quote, end + 1));
    index = end + 1;
  }
  return out;
}

function fixCode(code: string, folded = false): string {
  return outsideQuotedNames(
    code
      .replace(/(?:"weft_session"|\bweft_session)\s*\.\s*/gi, 'temp.main.')
      .replace(
        /(?:(?:"[^"]+"|\b\w+)\s*\.\s*)?\bINFORMATION_SCHEMA\s*\.\s*"?(TABLES|COLUMNS)\b"?/gi,
        (_match, view: string) => `weft_emulator.${view.toLowerCase()}${folded ? '_folded' : ''}`,
      ),
    (part) => part.replace(/\bTIMESTAMP_?NTZ\b/gi, 'TIMESTAMP').replace(/\bVARIANT\b/gi, 'JSON'),
  );
}

/** Applies `fn` to the parts of `code` outside double-quoted names (a column may be called "variant"). */
function outsideQuotedNames(code: string, fn: (part: string) => string): string {
  return code
    .split(/("(?:[^"]|"")*")/)
    .map((part, index) => (index % 2 === 1 ? part : fn(part)))
    .join('');
}

/** The DuckDB statements for one Snowflake statement (throws TranspileError when polyglot refuses it). */
export function toDuckDB(sql: string, ignoreQuotedCase = false): string[] {
  return transpileToDuckDB(sql, 'snowflake').map((statement) =>
    outsideStrings(
      statement,
      (code) => fixCode(code, ignoreQuotedCase),
      (text) => text,
    ),
  );
}

/** Applies only the name fix-ups (temp schema, catalog views) to DuckDB SQL the emulator writes itself. */
export function fixNames(sql: string): string {
  return outsideStrings(sql, fixCode, (text) => text);
}

/** The first keyword of a statement, upper-case (after comments and parentheses). */
export function firstKeyword(sql: string): string {
  const stripped = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()+/, '');
  return (/^[A-Za-z_]+/.exec(stripped)?.[0] ?? '').toUpperCase();
}
