/**
 * Dialect SQL → DuckDB SQL, for proving BigQuery and Snowflake SQL without cloud access (issue 8
 * point 5) and for the local BigQuery/Snowflake endpoints that execute what their clients send.
 * Parsing is done by a real parser for the source dialect (@polyglot-sql/sdk, dev-only); the
 * AST is patched where polyglot's DuckDB output is known to mean something else than the source
 * (each fix-up says which), then generated as DuckDB.
 */
import { generate, Dialect as Polyglot, parse, transpile } from '@polyglot-sql/sdk';

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

type Node = Record<string, unknown>;

/** Parses `sql` (one or more statements) with the parser for `dialect`; returns the ASTs or throws. */
export function parseStatements(sql: string, dialect: SourceDialect): unknown[] {
  const result = parse(sql, polyglotDialects[dialect]);
  if (!result.success) {
    throw new TranspileError(`${dialect} parser refused the SQL: ${result.error}`, sql);
  }
  return result.ast as unknown[];
}

/** The error message when `sql` does not parse as `dialect`, else undefined. */
export function parseError(sql: string, dialect: SourceDialect): string | undefined {
  const result = parse(sql, polyglotDialects[dialect]);
  return result.success ? undefined : String(result.error);
}

function functionNode(node: Node): Node | undefined {
  const fn = node.function as Node | undefined;
  return fn && typeof fn === 'object' && typeof fn.name === 'string' ? fn : undefined;
}

function stringLiteral(value: string): Node {
  return { literal: { literal_type: 'string', value } };
}

/**
 * Fix-ups applied to polyglot's DuckDB output for BigQuery input (parsed again as DuckDB):
 * - BigQuery's REGEXP_REPLACE replaces every match; polyglot writes DuckDB's 3-argument form,
 *   which replaces only the first: add the 'g' option.
 * - BigQuery's REGEXP_CONTAINS is a partial match; polyglot writes REGEXP_FULL_MATCH: use
 *   DuckDB's partial REGEXP_MATCHES. (BigQuery has no full-match function of its own.)
 */
function patchBigQuery(node: Node): void {
  const fn = functionNode(node);
  if (!fn) return;
  const name = String(fn.name).toUpperCase();
  const args = fn.args as unknown[];
  if (name === 'REGEXP_REPLACE' && args.length === 3) args.push(stringLiteral('g'));
  if (name === 'REGEXP_FULL_MATCH') fn.name = 'REGEXP_MATCHES';
}

const patchers: Partial<Record<SourceDialect, (node: Node) => void>> = {
  bigquery: patchBigQuery,
};

function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (value && typeof value === 'object') {
    visit(value as Node);
    for (const child of Object.values(value)) walk(child, visit);
  }
}

/** `sql` in `from`'s dialect as DuckDB statements (one string per statement). Throws TranspileError. */
export function transpileToDuckDB(sql: string, from: SourceDialect): string[] {
  parseStatements(sql, from); // the source dialect's own parser must accept it first
  const result = transpile(sql, polyglotDialects[from], Polyglot.DuckDB);
  if (!result.success || !result.sql) {
    throw new TranspileError(`polyglot could not write DuckDB for it: ${result.error}`, sql);
  }
  const patch = patchers[from];
  if (!patch) return result.sql;
  return result.sql.map((statement) => {
    const ast = parseStatements(statement, 'duckdb');
    walk(ast, patch);
    const again = generate(ast, Polyglot.DuckDB);
    if (!again.success || !again.sql) {
      throw new TranspileError(`polyglot could not write the patched DuckDB: ${again.error}`, sql);
    }
    return again.sql.join(';\n');
  });
}
