import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { splitStatements } from '../../../src/warehouse/snowflake/split-statements.js';
import { SqlError, toSqlError } from './errors.js';
import type { IdentifierCase } from './identifier-case.js';
import { type SnowflakeRows, snowflakeColumnNames, toSnowflakeRows } from './rowset.js';
import { parseCopy, purge, putResponse, stageDir, stagedFiles } from './stage.js';
import { firstKeyword, toDuckDB } from './translate.js';

/** What a statement produced: rows in Snowflake's format, or the answer to a PUT. */
export type Outcome = { kind: 'rows'; rows: SnowflakeRows } | { kind: 'put'; data: Record<string, unknown> };

const DDL = new Set(['CREATE', 'ALTER', 'DROP', 'UNDROP', 'GRANT', 'REVOKE', 'COMMENT']);
const QUERIES = new Set(['SELECT', 'WITH', 'VALUES', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'TABLE', 'FROM']);
const COUNT_NAMES: Record<string, string> = {
  INSERT: 'number of rows inserted',
  UPDATE: 'number of rows updated',
  DELETE: 'number of rows deleted',
  MERGE: 'number of rows merged',
  TRUNCATE: 'number of rows deleted',
};

/** A single-column text result. */
function status(text: string, name = 'status'): SnowflakeRows {
  return { rowtype: [textColumn(name)], rows: [[text]] };
}

function textColumn(name: string) {
  return {
    name,
    database: '',
    schema: '',
    table: '',
    type: 'text',
    precision: null,
    scale: null,
    length: 16777216,
    byteLength: 16777216,
    nullable: true,
    collation: null,
  };
}

function fixedColumn(name: string) {
  return { ...textColumn(name), type: 'fixed', precision: 19, scale: 0, length: null, byteLength: null };
}

function unquote(value: string): string {
  if (!value.startsWith("'")) return value;
  return value.slice(1, -1).replaceAll("''", "'").replace(/\\(.)/g, '$1');
}

/**
 * One Snowflake session: its own DuckDB connection (so TEMPORARY tables are per session), its
 * transaction state, QUERY_TAG and TIMEZONE. Statements run one at a time. Snowflake rules kept:
 * DDL commits an open transaction first; BEGIN inside a transaction and COMMIT / ROLLBACK
 * outside one do nothing; a request with several statements is refused (MULTI_STATEMENT_COUNT
 * defaults to 1).
 */
export class EmulatorSession {
  readonly id = Math.floor(Math.random() * 1e12);
  token = randomUUID();
  readonly masterToken = randomUUID();
  queryTag = '';
  timezone = 'America/Los_Angeles';
  /** QUOTED_IDENTIFIERS_IGNORE_CASE: quoted names are stored and reported upper-case too. */
  ignoreQuotedCase = false;
  expired = false;
  closed = false;
  private inTransaction = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly user: string,
    private readonly duck: DuckDBConnection,
    private readonly stageRoot: string,
    private readonly onQueryTag: (tag: string) => void,
    private readonly identifiers: IdentifierCase,
  ) {}

  /** Runs one request's SQL text, in order with the session's other requests. */
  run(sql: string, parameters: Record<string, unknown> = {}): Promise<Outcome> {
    const next = this.queue.then(() => this.runNow(sql, parameters));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.duck.closeSync();
  }

  private async runNow(sql: string, parameters: Record<string, unknown>): Promise<Outcome> {
    const statements = splitStatements(sql);
    const expected = parameters.MULTI_STATEMENT_COUNT ?? 1;
    if (statements.length !== 1 && Number(expected) !== statements.length) {
      throw new SqlError(
        '000008',
        '0A000',
        `Actual statement count ${statements.length} did not match the desired statement count ${expected}.`,
      );
    }
    if (statements.length > 1)
      throw new SqlError('000002', '0A000', 'Multi-statement requests are not emulated');
    try {
      return await this.statement(statements[0] as string);
    } catch (error) {
      throw toSqlError(error);
    }
  }

  private async statement(sql: string): Promise<Outcome> {
    const keyword = firstKeyword(sql);
    if (keyword === 'ALTER' && /^\s*ALTER\s+SESSION\b/i.test(sql)) return this.alterSession(sql);
    if (keyword === 'USE') return { kind: 'rows', rows: status('Statement executed successfully.') };
    if (keyword === 'BEGIN' || keyword === 'START') {
      if (!this.inTransaction) await this.duck.run('BEGIN');
      this.inTransaction = true;
      return { kind: 'rows', rows: status('Statement executed successfully.') };
    }
    if (keyword === 'COMMIT' || keyword === 'ROLLBACK') {
      if (this.inTransaction) await this.duck.run(keyword);
      this.inTransaction = false;
      return { kind: 'rows', rows: status('Statement executed successfully.') };
    }
    if (keyword === 'PUT') return { kind: 'put', data: putResponse(sql, this.stageRoot) };
    if (!this.ignoreQuotedCase) this.identifiers.check(sql);
    if (keyword === 'COPY') return { kind: 'rows', rows: await this.copy(sql) };
    if (DDL.has(keyword) && this.inTransaction) {
      // Snowflake runs DDL in its own transaction, committing the open one first.
      await this.duck.run('COMMIT');
      this.inTransaction = false;
    }
    const duckStatements = toDuckDB(sql, this.ignoreQuotedCase);
    let reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>> | undefined;
    for (const statement of duckStatements) reader = await this.duck.runAndReadAll(statement);
    if (keyword === 'CREATE') await this.identifiers.created(sql, this.duck);
    if (!reader) return { kind: 'rows', rows: status('Statement executed successfully.') };
    if (QUERIES.has(keyword)) {
      const names = snowflakeColumnNames(reader.columnNames(), sql);
      return {
        kind: 'rows',
        rows: toSnowflakeRows(
          reader,
          this.ignoreQuotedCase ? names.map((name) => name.toUpperCase()) : names,
        ),
      };
    }
    const countName = COUNT_NAMES[keyword];
    if (countName) {
      const count = reader.getRows()[0]?.[0];
      return { kind: 'rows', rows: { rowtype: [fixedColumn(countName)], rows: [[String(count ?? 0)]] } };
    }
    return { kind: 'rows', rows: status('Statement executed successfully.') };
  }

  /** ALTER SESSION SET k = v [, k = v …] / UNSET k: QUERY_TAG and TIMEZONE are kept. */
  private async alterSession(sql: string): Promise<Outcome> {
    const unset = /^\s*ALTER\s+SESSION\s+UNSET\s+([\s\S]+)$/i.exec(sql);
    if (unset) {
      for (const name of (unset[1] as string).split(',').map((part) => part.trim().toUpperCase()))
        if (name === 'QUERY_TAG') this.queryTag = '';
      return { kind: 'rows', rows: status('Statement executed successfully.') };
    }
    const body = /^\s*ALTER\s+SESSION\s+SET\s+([\s\S]+)$/i.exec(sql)?.[1];
    if (!body) throw new SqlError('001003', '42000', 'SQL compilation error:\nsyntax error in ALTER SESSION');
    for (const match of body.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.|'')*'|[^\s,]+)/g)) {
      const name = (match[1] as string).toUpperCase();
      const value = unquote(match[2] as string);
      if (name === 'QUERY_TAG') {
        this.queryTag = value;
        this.onQueryTag(value);
      } else if (name === 'QUOTED_IDENTIFIERS_IGNORE_CASE') {
        this.ignoreQuotedCase = value.toUpperCase() === 'TRUE';
      } else if (name === 'TIMEZONE') {
        await this.duck.run(`SET TimeZone = '${value.replaceAll("'", "''")}'`);
        this.timezone = value;
      }
    }
    return { kind: 'rows', rows: status('Statement executed successfully.') };
  }

  /** COPY INTO from staged CSV files: one INSERT … SELECT per file, all or nothing. */
  private async copy(sql: string): Promise<SnowflakeRows> {
    const plan = parseCopy(sql);
    const files = await stagedFiles(stageDir(this.stageRoot, plan.stage));
    if (files.length === 0) return status('Copy executed with 0 files processed.');
    const columnCount = plan.columns ? plan.columns.split(',').length : undefined;
    const expressions =
      plan.expressions ??
      Array.from(
        { length: columnCount ?? (await this.targetWidth(plan.target)) },
        (_, index) => `$${index + 1}`,
      ).join(', ');
    const width = Math.max(...[...expressions.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
    const select = expressions.replace(/\$(\d+)/g, 'weft_copy_source.c$1');
    const [insert] = toDuckDB(
      `INSERT INTO ${plan.target} ${plan.columns ?? ''} SELECT ${select} FROM weft_copy_source`,
    );
    const names = Array.from({ length: width }, (_, index) => `'c${index + 1}': 'VARCHAR'`).join(', ');
    const own = !this.inTransaction;
    if (own) await this.duck.run('BEGIN');
    const loaded: (string | null)[][] = [];
    try {
      for (const file of files) {
        await this.duck.run(
          `CREATE OR REPLACE TEMP VIEW weft_copy_source AS SELECT * FROM read_csv('${file.replaceAll("'", "''")}', ` +
            `header = false, skip = ${plan.skipHeader}, delim = ',', quote = '"', escape = '"', ` +
            `allow_quoted_nulls = false, columns = {${names}})`,
        );
        try {
          const reader = await this.duck.runAndReadAll(insert as string);
          const count = String(reader.getRows()[0]?.[0] ?? 0);
          loaded.push([path(file), 'LOADED', count, count, '1', '0', null]);
        } catch (error) {
          const failure = toSqlError(error);
          throw new SqlError(failure.code, failure.sqlState, `${failure.message}\n  File '${path(file)}'`);
        }
      }
      await this.duck.run('DROP VIEW IF EXISTS weft_copy_source');
      if (own) await this.duck.run('COMMIT');
    } catch (error) {
      if (own) await this.duck.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    if (plan.purge) await purge(files);
    return {
      rowtype: [
        textColumn('file'),
        textColumn('status'),
        fixedColumn('rows_parsed'),
        fixedColumn('rows_loaded'),
        fixedColumn('error_limit'),
        fixedColumn('errors_seen'),
        textColumn('first_error'),
      ],
      rows: loaded,
    };
  }

  private async targetWidth(target: string): Promise<number> {
    const [select] = toDuckDB(`SELECT * FROM ${target} LIMIT 0`);
    return (await this.duck.runAndReadAll(select as string)).columnCount;
  }
}

/** The staged file's name as Snowflake lists it (stage-relative). */
function path(file: string): string {
  return file.split(/[\\/]/).slice(-2).join('/');
}
