/**
 * Dialect SQL → DuckDB SQL, for proving BigQuery and Snowflake SQL without cloud access (issue 8
 * point 5) and for the local BigQuery/Snowflake endpoints that execute what their clients send.
 * Parsing is done by a real parser for the source dialect (@polyglot-sql/sdk, dev-only); the
 * DuckDB text is fixed where polyglot's output is known to mean something else than the source
 * (each fix-up says which).
 */
import { Dialect as Polyglot, parse, transpile } from '@polyglot-sql/sdk';

/** The dialects this module reads. */
export type SourceDialect = 'bigquery' | 'snowflake' | 'postgres' | 'duckdb';

const polyglotDialects: Record<SourceDialect, Polyglot> = {
  bigquery: Polyglot.BigQuery,
  snowflake: Polyglot.Snowflake,
  postgres: Polyglot.PostgreSQL,
  duckdb: Polyglot.DuckDB,
};

/** A statement the real parser for its dialect refused, or polyglot could not render as DuckDB. */
export class TranspileError extends Error {
  constructor(
    message: string,
    readonly sql: string,
  ) {
    super(message);
    this.name = 'TranspileError';
  }
}

/**
 * Polyglot 0.12 refuses `CREATE … AS (SELECT …) UNION ALL (SELECT …)`, which every engine
 * accepts (weft's identity_occurrences view is such a statement). Only when the plain parse
 * fails, the body is wrapped as `AS SELECT * FROM (…) AS weft_body`, which means the same.
 */
function parenthesisedBodyAsSubquery(sql: string): string | undefined {
  const match = /^(\s*CREATE\b[\s\S]*?\bAS)\s*(\([\s\S]*)$/i.exec(sql);
  return match ? `${match[1]} SELECT * FROM (\n${match[2]}\n) AS weft_body` : undefined;
}

/** `sql`, or its workaround form when only that parses (see parenthesisedBodyAsSubquery). */
function parseableForm(sql: string, dialect: SourceDialect): { sql: string; error?: string } {
  const result = parse(sql, polyglotDialects[dialect]);
  if (result.success) return { sql };
  const wrapped = parenthesisedBodyAsSubquery(sql);
  if (wrapped && parse(wrapped, polyglotDialects[dialect]).success) return { sql: wrapped };
  return { sql, error: String(result.error) };
}

/** Parses `sql` (one or more statements) with the parser for `dialect`; returns the ASTs or throws. */
export function parseStatements(sql: string, dialect: SourceDialect): unknown[] {
  const form = parseableForm(sql, dialect);
  if (form.error) throw new TranspileError(`${dialect} parser refused the SQL: ${form.error}`, sql);
  return parse(form.sql, polyglotDialects[dialect]).ast as unknown[];
}

/** The error message when `sql` does not parse as `dialect`, else undefined. */
export function parseError(sql: string, dialect: SourceDialect): string | undefined {
  return parseableForm(sql, dialect).error;
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text; -1 when unbalanced. */
function closingParen(sql: string, open: number): { close: number; commas: number[] } {
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      // Skip a quoted run; a doubled quote stays inside it.
      for (i++; i < sql.length; i++) {
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) i++;
          else break;
        }
      }
    } else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return { close: i, commas };
    } else if (ch === ',' && depth === 1) commas.push(i);
  }
  return { close: -1, commas };
}

/**
 * Rewrites every call of `fn` whose arguments `map` accepts (it returns the new call text, or
 * undefined to keep it). Calls are visited from the last to the first, so inner calls are
 * rewritten before the calls around them.
 */
function mapCalls(sql: string, fn: string, map: (args: string[]) => string | undefined): string {
  const pattern = new RegExp(`\\b${fn}\\s*\\(`, 'gi');
  const starts: Array<{ at: number; open: number }> = [];
  for (let match = pattern.exec(sql); match; match = pattern.exec(sql)) {
    starts.push({ at: match.index, open: match.index + match[0].length - 1 });
  }
  let out = sql;
  for (const { at, open } of starts.reverse()) {
    const { close, commas } = closingParen(out, open);
    if (close < 0) continue;
    const bounds = [open, ...commas, close];
    const args = bounds.slice(1).map((end, i) => out.slice((bounds[i] as number) + 1, end).trim());
    const replaced = map(args);
    if (replaced !== undefined) out = `${out.slice(0, at)}${replaced}${out.slice(close + 1)}`;
  }
  return out;
}

/**
 * Fix-ups of polyglot's DuckDB output, on the text (a round trip through the AST costs ~65 ms a
 * statement in the WASM bridge). Each is a place where polyglot's output means something else
 * than the source:
 * - BigQuery: REGEXP_REPLACE replaces every match; polyglot writes DuckDB's 3-argument form,
 *   which replaces only the first: add the 'g' option.
 * - BigQuery: REGEXP_CONTAINS is a partial match; polyglot writes REGEXP_FULL_MATCH: use
 *   DuckDB's partial REGEXP_MATCHES (BigQuery has no full-match function of its own). A
 *   REGEXP_CONTAINS inside the first argument of another comes out as REGEXP_LIKE, which DuckDB
 *   does not have: BigQuery has no REGEXP_LIKE either, so it too is a REGEXP_CONTAINS.
 * - BigQuery: a `\x00` escape comes out as a raw NUL inside the DuckDB literal (which DuckDB
 *   cannot read): it is spliced in with chr(0). `NUMERIC '…'` / `BIGNUMERIC '…'` come out as
 *   `CAST('…' AS DECIMAL)`, DuckDB's DECIMAL(18,3): whole numbers become HUGEINT, others
 *   DECIMAL(38,9) (BigQuery NUMERIC's scale).
 * - BigQuery: polyglot keeps `PRIMARY KEY (…) NOT ENFORCED`, which DuckDB cannot parse; the key
 *   is not enforced by BigQuery either, so it is dropped.
 * - Snowflake: a `TIMESTAMP_NTZ` column type comes out as `TIMESTAMPNTZ`, which DuckDB does not
 *   know; Snowflake's zone-less timestamp is DuckDB's TIMESTAMP.
 * - Snowflake declares primary keys but does not enforce them; DuckDB would: the key is dropped.
 * - Snowflake: `SHA2(x, 256)` is passed through, but DuckDB has no SHA2: its `SHA256(x)` is the same hex digest.
 * - Snowflake: `TO_NUMBER(hex, 'XXXXXXXX')` (hex text to integer) is passed through; DuckDB
 *   reads hex with `CAST('0x' || hex AS BIGINT)`.
 */
const textFixups: Partial<Record<SourceDialect, (sql: string) => string>> = {
  bigquery: (sql) =>
    mapCalls(sql, 'REGEXP_REPLACE', (args) =>
      args.length === 3 ? `REGEXP_REPLACE(${args.join(', ')}, 'g')` : undefined,
    )
      .replaceAll('\0', "' || chr(0) || '")
      .replace(/CAST\('(-?\d+)' AS DECIMAL\)/g, "CAST('$1' AS HUGEINT)")
      .replace(/CAST\('(-?\d*\.\d+)' AS DECIMAL\)/g, "CAST('$1' AS DECIMAL(38, 9))")
      .replace(/\bREGEXP_FULL_MATCH\s*\(/gi, 'REGEXP_MATCHES(')
      .replace(/\bREGEXP_LIKE\s*\(/gi, 'REGEXP_MATCHES(')
      .replace(/,\s*PRIMARY KEY\s*\([^)]*\)\s*NOT ENFORCED/gi, ''),
  snowflake: (sql) => {
    const typed = sql
      .replace(/\bTIMESTAMPNTZ\b/g, 'TIMESTAMP')
      .replace(/,\s*PRIMARY KEY\s*\([^)]*\)(?=\s*\))/gi, '');
    const hashed = mapCalls(typed, 'SHA2', (args) =>
      args.length === 2 && args[1] === '256' ? `SHA256(${args[0]})` : undefined,
    );
    return mapCalls(hashed, 'TO_NUMBER', (args) =>
      args.length === 2 && /^'X+'$/i.test(args[1] as string)
        ? `CAST('0x' || ${args[0]} AS BIGINT)`
        : undefined,
    );
  },
};

/** `sql` in `from`'s dialect as DuckDB statements (one string per statement). Throws TranspileError. */
export function transpileToDuckDB(sql: string, from: SourceDialect): string[] {
  const form = parseableForm(sql, from); // the source dialect's own parser must accept it first
  if (form.error) throw new TranspileError(`${from} parser refused the SQL: ${form.error}`, sql);
  const result = transpile(form.sql, polyglotDialects[from], Polyglot.DuckDB);
  if (!result.success || !result.sql) {
    throw new TranspileError(`polyglot could not write DuckDB for it: ${result.error}`, sql);
  }
  const fix = textFixups[from];
  return fix ? result.sql.map(fix) : result.sql;
}
