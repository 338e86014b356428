/**
 * The SQL side of the local BigQuery endpoint: one in-memory DuckDB; each BigQuery session has
 * its own DuckDB connection (so `_SESSION` temp tables and transactions are per session, as in
 * BigQuery); jobs outside a session share a default connection. GoogleSQL is turned into DuckDB
 * SQL by test/support/sql-transpile.ts (polyglot's BigQuery parser first).
 */
import { randomUUID } from 'node:crypto';
import { type DuckDBConnection, DuckDBInstance, type DuckDBResultReader } from '@duckdb/node-api';
import { TranspileError, transpileToDuckDB } from '../sql-transpile.js';
import { extractCatalogReferences, restoreCatalogReferences } from './catalog.js';
import { encodeResult, type WireResult } from './encode.js';
import { ApiFailure } from './http.js';

/** What a query job produced. */
export interface QueryOutcome {
  /** The last statement's rows, when it was a query. */
  result: WireResult | undefined;
  statementType: string;
  affectedRows: number | undefined;
}

/** One DuckDB connection whose statements run one at a time. */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  constructor(readonly connection: DuckDBConnection) {}

  run<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => task(this.connection));
    this.tail = next.catch(() => undefined);
    return next;
  }
}

const QUERY_START = /^\s*(\(|SELECT\b|WITH\b|VALUES\b|FROM\b)/i;

function statementType(sql: string, count: number): string {
  if (count > 1) return 'SCRIPT';
  const words = sql.trim().toUpperCase().split(/\s+/).slice(0, 6).join(' ');
  if (/^(SELECT|WITH|\()/.test(words)) return 'SELECT';
  if (/^BEGIN/.test(words)) return 'BEGIN_TRANSACTION';
  if (/^COMMIT/.test(words)) return 'COMMIT_TRANSACTION';
  if (/^ROLLBACK/.test(words)) return 'ROLLBACK_TRANSACTION';
  if (/^CREATE .*VIEW/.test(words)) return 'CREATE_VIEW';
  if (/^CREATE .*SCHEMA/.test(words)) return 'CREATE_SCHEMA';
  if (/^CREATE .*TABLE.* AS\b/.test(sql.toUpperCase().replace(/\s+/g, ' '))) return 'CREATE_TABLE_AS_SELECT';
  if (/^CREATE/.test(words)) return 'CREATE_TABLE';
  return (words.split(' ')[0] ?? 'SCRIPT').replace(/^DROP$/, 'DROP_TABLE').replace(/^ALTER$/, 'ALTER_TABLE');
}

/** The in-memory warehouse behind the endpoint. */
export class EmulatedDatabase {
  private readonly sessions = new Map<string, Lane>();

  private constructor(
    private readonly instance: DuckDBInstance,
    /** Jobs outside a session, loads and catalog reads. */
    readonly main: Lane,
    readonly projectId: string,
    readonly location: string,
  ) {}

  static async create(projectId: string, location: string): Promise<EmulatedDatabase> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return new EmulatedDatabase(instance, new Lane(connection), projectId, location);
  }

  /** Starts a session (its own connection); returns BigQuery's session id. */
  async createSession(): Promise<string> {
    const id = `CgwI${randomUUID().replace(/-/g, '')}`;
    this.sessions.set(id, new Lane(await this.instance.connect()));
    return id;
  }

  /** The lane of a live session; a terminated or unknown one is BigQuery's 400. */
  session(id: string): Lane {
    const lane = this.sessions.get(id);
    if (!lane)
      throw new ApiFailure(400, 'invalidQuery', `Session ${id} has been terminated or does not exist.`);
    return lane;
  }

  /** Ends a session: its temp tables go, an open transaction rolls back. */
  abortSession(id: string): Promise<void> {
    const lane = this.sessions.get(id);
    this.sessions.delete(id);
    return lane ? lane.run(async (connection) => connection.closeSync()) : Promise.resolve();
  }

  /** Whether a dataset (DuckDB schema) exists. */
  async datasetExists(dataset: string): Promise<boolean> {
    const reader = await this.main.run((c) =>
      c.runAndReadAll(
        'SELECT 1 FROM information_schema.schemata WHERE catalog_name = current_database() AND schema_name = $1',
        [dataset],
      ),
    );
    return reader.currentRowCount > 0;
  }

  /** GoogleSQL as DuckDB statements, with INFORMATION_SCHEMA and `_SESSION` mapped; throws ApiFailure. */
  async translate(sql: string, inSession: boolean): Promise<string[]> {
    const projectQualifier = new RegExp(
      `\`${this.projectId}\`\\.|\\b${this.projectId.replace(/[-.]/g, '\\$&')}\\.(?=\`)`,
      'g',
    );
    const { sql: withPlaceholders, references } = extractCatalogReferences(sql.replace(projectQualifier, ''));
    for (const reference of references) {
      if (!(await this.datasetExists(reference.dataset))) throw this.missingDataset(reference.dataset);
    }
    let statements: string[];
    try {
      statements = transpileToDuckDB(withPlaceholders, 'bigquery');
    } catch (error) {
      if (error instanceof TranspileError)
        throw new ApiFailure(400, 'invalidQuery', `Syntax error: ${error.message}`, 'query');
      throw error;
    }
    return statements.map((statement) => {
      const restored = restoreCatalogReferences(statement, this.projectId, references);
      if (!/"_SESSION"\.|\b_SESSION\./i.test(restored)) return restored;
      if (!inSession) {
        throw new ApiFailure(
          400,
          'invalidQuery',
          '_SESSION tables can only be used in a session: create one with createSession or pass session_id.',
          'query',
        );
      }
      return restored.replace(/"_SESSION"\.|\b_SESSION\./gi, 'temp.');
    });
  }

  /** Runs a query job's SQL on `lane`: the last statement's rows are the result. */
  async run(sql: string, lane: Lane, inSession: boolean, defaultDataset?: string): Promise<QueryOutcome> {
    const statements = await this.translate(sql, inSession);
    return lane.run(async (connection) => {
      await this.useDataset(connection, defaultDataset);
      let reader: DuckDBResultReader | undefined;
      let last = '';
      try {
        for (const statement of statements) {
          last = statement;
          reader = await connection.runAndReadAll(statement);
        }
      } catch (error) {
        // A failed statement aborts BigQuery's transaction; DuckDB's would stay half-open.
        await connection.run('ROLLBACK').catch(() => undefined);
        throw this.sqlFailure(error, sql);
      }
      const isQuery = QUERY_START.test(last);
      const affected =
        !isQuery && reader?.columnNames()[0] === 'Count' ? Number(reader.getRows()[0]?.[0] ?? 0) : undefined;
      return {
        result: isQuery && reader ? encodeResult(reader) : undefined,
        statementType: statementType(sql, statements.length),
        affectedRows: affected,
      };
    });
  }

  /** Checks a dry run's SQL: it must parse and, for queries, bind (tables and columns exist). */
  async validate(sql: string, lane: Lane, inSession: boolean, defaultDataset?: string): Promise<void> {
    const statements = await this.translate(sql, inSession);
    await lane.run(async (connection) => {
      await this.useDataset(connection, defaultDataset);
      for (const statement of statements) {
        if (!QUERY_START.test(statement)) continue;
        try {
          await connection.run(`EXPLAIN ${statement}`);
        } catch (error) {
          throw this.sqlFailure(error, sql);
        }
      }
    });
  }

  /**
   * What BigQuery would bill-estimate: for every table the SQL names (`ds`.`t` or ds.t), its rows
   * × columns × 8 bytes. Deterministic, so tests can predict it.
   */
  async estimateBytes(sql: string): Promise<number> {
    const reader = await this.main.run((c) =>
      c.runAndReadAll(
        'SELECT schema_name, table_name, estimated_size, column_count FROM duckdb_tables() WHERE database_name = current_database()',
      ),
    );
    let bytes = 0;
    for (const [schema, table, rows, columns] of reader.getRows()) {
      const name = (text: unknown) => `\`?${String(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`?`;
      if (new RegExp(`${name(schema)}\\s*\\.\\s*${name(table)}(?![\\w\`])`, 'i').test(sql)) {
        bytes += Number(rows) * Number(columns) * 8;
      }
    }
    return bytes;
  }

  /** The job's defaultDataset resolves unqualified table names (DuckDB's search_path); none: `main`. */
  private async useDataset(connection: DuckDBConnection, dataset: string | undefined): Promise<void> {
    if (dataset) {
      const found = await connection.runAndReadAll(
        'SELECT 1 FROM information_schema.schemata WHERE catalog_name = current_database() AND schema_name = $1',
        [dataset],
      );
      if (found.currentRowCount === 0) throw this.missingDataset(dataset);
    }
    await connection.run(`SET search_path = '${(dataset ?? 'main').replace(/'/g, "''")}'`);
  }

  /** BigQuery's 404 for a dataset that does not exist. */
  missingDataset(dataset: string): ApiFailure {
    return new ApiFailure(
      404,
      'notFound',
      `Not found: Dataset ${this.projectId}:${dataset} was not found in location ${this.location}`,
    );
  }

  /** A DuckDB error as BigQuery's: unknown tables and datasets are 404 notFound, the rest 400 invalidQuery. */
  sqlFailure(error: unknown, sql: string): ApiFailure {
    if (error instanceof ApiFailure) return error;
    const message = error instanceof Error ? error.message : String(error);
    const missingSchema = /because schema "?([^\s!"]+)"? does not exist/.exec(message)?.[1];
    if (missingSchema) return this.missingDataset(missingSchema);
    const table = /Table with name "?([^\s!"]+?)"? does not exist/.exec(message)?.[1];
    if (table) {
      const dataset =
        new RegExp(`\`?([\\w-]+)\`?\\s*\\.\\s*\`?${table}\`?`, 'i').exec(sql)?.[1] ?? '_SESSION';
      return new ApiFailure(
        404,
        'notFound',
        `Not found: Table ${this.projectId}:${dataset}.${table} was not found in location ${this.location}`,
      );
    }
    const schema = /Schema with name "?([^\s!"]+)"? does not exist/.exec(message)?.[1];
    if (schema) return this.missingDataset(schema);
    return new ApiFailure(400, 'invalidQuery', message.split('\n')[0] ?? message, 'query');
  }

  /** Closes every connection and the database. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.abortSession(id).catch(() => undefined)));
    await this.main.run(async (connection) => connection.closeSync()).catch(() => undefined);
    this.instance.closeSync();
  }
}
