/**
 * Snowflake's identifier case, which DuckDB (case-insensitive) cannot enforce: an unquoted name
 * is stored upper-case, a quoted one as written, and a quoted reference must match exactly.
 * `IdentifierCase` remembers the stored spelling of every table and column created through the
 * emulator and, when strict, refuses a quoted reference that matches a stored name only when
 * case is ignored, as Snowflake would (`invalid identifier`). Lenient: a name stored in several
 * spellings (in different tables) accepts any of them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SqlError } from './errors.js';
import { snowflakeColumnNames } from './rowset.js';
import { toDuckDB } from './translate.js';

const CREATED =
  /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:LOCAL\s+|GLOBAL\s+)?(?:TEMP|TEMPORARY|TRANSIENT|VOLATILE)\s+)?(TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:"(?:[^"]|"")*"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[\w$]+)){0,2})/i;

const SCHEMA =
  /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TRANSIENT\s+)?SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")*"|[\w$]+)/i;

/** A name as written in SQL (`"x"` or `x`) as Snowflake stores it. */
function storedName(written: string): string {
  const trimmed = written.trim();
  return trimmed.startsWith('"') ? trimmed.slice(1, -1).replaceAll('""', '"') : trimmed.toUpperCase();
}

/** The parts of SQL outside string literals. */
function code(sql: string): string {
  return sql.replace(/'(?:[^'\\]|\\.|'')*'/g, "''");
}

/** Quoted names the statement refers to (not the ones it defines with `AS "alias"`). */
function referencedNames(sql: string): string[] {
  return [...code(sql).matchAll(/(\bAS\s*)?"((?:[^"]|"")*)"/gi)]
    .filter((match) => !match[1])
    .map((match) => (match[2] ?? '').replaceAll('""', '"'));
}

export class IdentifierCase {
  private readonly spellings = new Map<string, Set<string>>();

  constructor(readonly strict: boolean) {}

  /** Refuses a quoted identifier in `sql` that differs from every stored spelling only by case. */
  check(sql: string): void {
    if (!this.strict) return;
    // A column list of CREATE TABLE only defines names; `AS "x"` defines an alias.
    if (/^\s*CREATE\b[^(]*\bTABLE\b[^(]*\(/i.test(sql) && !/\)\s*AS\s+(SELECT|WITH|\()/i.test(sql)) return;
    for (const name of referencedNames(sql)) {
      const known = this.spellings.get(name.toLowerCase());
      if (known && !known.has(name)) {
        throw new SqlError(
          '000904',
          '42000',
          `SQL compilation error: error line 0 at position 0\ninvalid identifier '"${name}"' (stored as ${[...known].map((spelling) => `"${spelling}"`).join(', ')})`,
        );
      }
    }
  }

  /** After a CREATE TABLE / VIEW ran: records the relation's and its columns' stored spellings. */
  async created(sql: string, duck: DuckDBConnection): Promise<void> {
    const schema = SCHEMA.exec(sql);
    if (schema) this.remember(storedName(schema[1] as string));
    const match = CREATED.exec(sql);
    if (!match) return;
    // "db"."schema"."name": every part is stored as written (quoted) or upper-case.
    for (const part of (match[2] as string).split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/))
      this.remember(storedName(part));
    try {
      const [describe] = toDuckDB(`SELECT * FROM ${match[2]} LIMIT 0`);
      const reader = await duck.runAndReadAll(describe as string);
      // Written unquoted in the statement: upper-case; quoted, or taken from a source by `*`: as is.
      for (const column of snowflakeColumnNames(reader.columnNames(), sql)) this.remember(column);
    } catch {
      // Not readable here (e.g. another session's temp table): nothing to record.
    }
  }

  private remember(name: string): void {
    const key = name.toLowerCase();
    const known = this.spellings.get(key) ?? new Set<string>();
    known.add(name);
    this.spellings.set(key, known);
  }
}
