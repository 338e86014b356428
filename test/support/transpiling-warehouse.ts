/**
 * A `Warehouse` that speaks another engine's dialect but runs on DuckDB: every statement the
 * pipeline generates with, say, the BigQuery dialect is recorded, parsed by polyglot's real
 * BigQuery parser, transpiled to DuckDB (test/support/sql-transpile.ts) and executed on an
 * in-memory DuckDB. Comparing its outputs with the DuckDB engine's own proves the dialect's SQL
 * means the same, without cloud access (issue 8, point 5).
 *
 * Two things have no DuckDB counterpart and are mapped here, after transpiling: the engine's
 * session temp-table schema (`_SESSION`, `weft_session`) becomes DuckDB's `temp`, and
 * BigQuery's per-dataset `INFORMATION_SCHEMA` views read DuckDB's catalog.
 */
import type {
  ColumnDef,
  Dialect,
  LoadOptions,
  RelationRef,
  Row,
  StreamOptions,
  Warehouse,
} from '../../src/warehouse/types.js';
import { type SourceDialect, transpileToDuckDB } from './sql-transpile.js';

/** Schemas that hold session temp tables in the source dialect (see each dialect's tempRelation). */
const tempSchemas = ['_SESSION', 'weft_session'];

const duckTypeAs: Record<string, Record<string, string>> = {
  bigquery: {
    VARCHAR: 'STRING',
    INTEGER: 'INT64',
    BIGINT: 'INT64',
    DOUBLE: 'FLOAT64',
    BOOLEAN: 'BOOL',
    JSON: 'STRING',
  },
  snowflake: {
    VARCHAR: 'TEXT',
    INTEGER: 'NUMBER',
    BIGINT: 'NUMBER',
    DOUBLE: 'FLOAT',
    TIMESTAMP: 'TIMESTAMP_NTZ',
    JSON: 'VARIANT',
  },
};

function typeCase(from: SourceDialect): string {
  const map = duckTypeAs[from] ?? {};
  const arms = Object.entries(map).map(([duck, theirs]) => `WHEN '${duck}' THEN '${theirs}'`);
  return arms.length ? `CASE data_type ${arms.join(' ')} ELSE data_type END` : 'data_type';
}

/** Post-transpile rewrites of one DuckDB statement (see the module comment). */
export function mapToDuckDB(sql: string, from: SourceDialect): string {
  let out = sql;
  for (const schema of tempSchemas) {
    out = out.replace(new RegExp(`(?:"${schema}"|\\b${schema})\\.`, 'g'), 'temp.');
  }
  // BigQuery: `ds`.INFORMATION_SCHEMA.TABLES / COLUMNS → DuckDB's catalog, scoped to the dataset.
  out = out.replace(
    /"((?:[^"]|"")+)"\.(?:"INFORMATION_SCHEMA\.(TABLES|COLUMNS)"|(?:"INFORMATION_SCHEMA"|INFORMATION_SCHEMA)\.(?:"(TABLES|COLUMNS)"|(TABLES|COLUMNS)))/gi,
    (_all, dataset: string, dotted?: string, quoted?: string, bare?: string) => {
      const view = (dotted ?? quoted ?? bare ?? '').toUpperCase();
      const schema = dataset.replaceAll('""', '"').replaceAll("'", "''");
      const scope = `table_catalog = current_database() AND table_schema = '${schema}'`;
      return view === 'TABLES'
        ? `(SELECT table_name, CASE table_type WHEN 'VIEW' THEN 'VIEW' ELSE 'BASE TABLE' END AS table_type FROM information_schema.tables WHERE ${scope})`
        : `(SELECT table_name, column_name, ordinal_position, ${typeCase(from)} AS data_type FROM information_schema.columns WHERE ${scope})`;
    },
  );
  return out;
}

function mapRef(ref: RelationRef): RelationRef {
  return tempSchemas.includes(ref.schema) ? { schema: 'temp', name: ref.name } : ref;
}

/** Wraps a DuckDB warehouse; `statements` collects every SQL text the caller sent, in order. */
export class TranspilingWarehouse implements Warehouse {
  readonly statements: string[] = [];
  /** Statements that failed to transpile or run, with why: the first one explains a failed step. */
  readonly failures: Array<{ sql: string; error: string }> = [];

  constructor(
    readonly dialect: Dialect,
    private readonly inner: Warehouse,
    private readonly from: SourceDialect,
  ) {}

  private toDuckDB(sql: string): string[] {
    this.statements.push(sql);
    try {
      return transpileToDuckDB(sql, this.from).map((statement) => mapToDuckDB(statement, this.from));
    } catch (error) {
      this.failures.push({ sql, error: (error as Error).message });
      throw error;
    }
  }

  private async run<T>(sql: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      this.failures.push({ sql, error: (error as Error).message });
      throw error;
    }
  }

  async execute(sql: string): Promise<void> {
    const statements = this.toDuckDB(sql);
    await this.run(sql, async () => {
      for (const statement of statements) await this.inner.execute(statement);
    });
  }

  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    const statements = this.toDuckDB(sql);
    return this.run(sql, async () => {
      const last = statements.pop();
      for (const statement of statements) await this.inner.execute(statement);
      return last === undefined ? [] : this.inner.query<T>(last);
    });
  }

  async *stream(sql: string, options?: StreamOptions): AsyncIterable<Row[]> {
    const statements = this.toDuckDB(sql);
    if (statements.length !== 1) throw new Error(`stream needs one statement, got ${statements.length}`);
    yield* this.inner.stream(statements[0] as string, options);
  }

  load(
    ref: RelationRef,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
    options?: LoadOptions,
  ): Promise<number> {
    this.statements.push(`-- load ${this.dialect.qualify(ref)} (${columns.map((c) => c.name).join(', ')})`);
    return this.inner.load(mapRef(ref), columns, rows, options);
  }

  transaction<T>(body: () => Promise<T>): Promise<T> {
    return this.inner.transaction(body);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
