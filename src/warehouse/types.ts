/**
 * The warehouse layer's contracts. A `Dialect` only builds SQL strings (no I/O, testable
 * without a database); a `Warehouse` does the I/O for one engine. Engine-specific SQL lives in
 * the engine's dialect, never behind `if (engine === 'x')` in shared code.
 */

/** One result row, keyed by column name. */
export type Row = Record<string, unknown>;

/** A schema-qualified relation (table or view). */
export interface RelationRef {
  schema: string;
  name: string;
}

/**
 * Engine-neutral column types. Each dialect maps them to its own type names.
 * JS values used with them: string, number|bigint, number, boolean, Date (or ISO string), Date.
 */
export type LogicalType =
  | 'string'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'boolean'
  | 'timestamp'
  | 'date'
  | 'json';

/** A column of a table being created or loaded. */
export interface ColumnDef {
  name: string;
  type: LogicalType;
}

/** What kind of relation exists under a name, if any. */
export type RelationKind = 'table' | 'view';

/** Builds SQL strings for one engine. Pure: no I/O, no state. */
export interface Dialect {
  /** Registry name, e.g. `duckdb`. */
  readonly name: string;
  /**
   * Whether the engine rejects a second row with the same `primaryKey` (DuckDB, Postgres). Where
   * it does not (BigQuery, Snowflake: keys are declared, not enforced), shared code must not
   * count on the key to keep racing writers to one row.
   */
  readonly enforcesPrimaryKeys: boolean;
  /** Quote an identifier (`"a""b"`). */
  quoteIdent(name: string): string;
  /** `"schema"."name"`. */
  qualify(ref: RelationRef): string;
  /** A SQL literal for a JS value (string, number, bigint, boolean, Date, null). */
  literal(value: unknown): string;
  /** The engine's type name for a logical type. */
  typeName(type: LogicalType): string;
  /** `CAST(expr AS type)`. */
  cast(expr: string, type: LogicalType): string;
  /** Lowercase hex SHA-256 of a string expression. */
  sha256(expr: string): string;
  /** Replace every match of an RE2-style `pattern` (a JS string, not SQL) in a string expression. */
  regexpReplaceAll(expr: string, pattern: string, replacement: string): string;
  /** Boolean: whether a string expression contains a match of an RE2-style `pattern` (anchor it for a full match). */
  regexpMatches(expr: string, pattern: string): string;
  /** Remove any of the characters in `chars` (a JS string) from both ends of a string expression. */
  trimChars(expr: string, chars: string): string;
  /** `length` characters of a string expression from 1-based position `start`. */
  substring(expr: string, start: number, length: number): string;
  /**
   * A lowercase hex digest (e.g. MD5) of several expressions of any type, each cast to text with a
   * NULL marker distinct from every value, joined with a separator: equal digests mean equal values.
   */
  rowHash(exprs: string[]): string;
  /**
   * The engine's own fast hash of several expressions as a BIGINT (e.g. DuckDB's `hash()`), for
   * the planner's diff. Not stable across engine versions: every value stored is labelled with
   * the scheme `fastRowHashScheme` reports, and compared only under the same scheme. Absent on
   * engines where `rowHash` is the only hash.
   */
  fastRowHash?(exprs: string[]): string;
  /**
   * A query returning one row with one text column `scheme` that names the fast hash exactly:
   * the engine and its version plus the hash of fixed probe values of several types, so any
   * change to the function (even without a version change) changes the scheme.
   */
  fastRowHashScheme?(): string;
  /**
   * Boolean: whether a date/timestamp expression holds a value a JavaScript Date cannot (±infinity,
   * a year past 275760), which a sync rejects row by row and `weft plan` counts. Absent on
   * engines whose dates always fit (BigQuery, Snowflake: years 1 to 9999).
   */
  beyondJsDate?(expr: string): string;
  /** The current instant as a zone-less UTC timestamp (what TIMESTAMP literals from `literal(Date)` compare with). */
  currentTimestamp(): string;
  /** A timestamp or date expression plus `days` whole days (negative: minus), as a timestamp. */
  addDays(expr: string, days: number): string;
  /**
   * Boolean: whether a string expression contains / starts with / ends with the JS string `text`,
   * case-sensitively; `%`, `_` and the escape character in `text` match only themselves.
   */
  textMatches(expr: string, text: string, how: 'contains' | 'starts_with' | 'ends_with'): string;
  /**
   * An integer 0 … buckets−1: the first 8 hex digits (32 bits) of the SHA-256 of a string
   * expression, read as an unsigned integer, modulo `buckets`. Identical on every engine (and in
   * JS), so deterministic assignments such as audience splits never depend on the warehouse.
   */
  hashBucket(expr: string, buckets: number): string;

  /**
   * The `index`-th (1-based) field of a string expression split on the JS string `delimiter`;
   * `''` when there are fewer fields (DuckDB's and Postgres's `split_part`).
   */
  splitPart(expr: string, delimiter: string, index: number): string;
  /**
   * Aggregate: the non-NULL values of a string expression joined with the JS string
   * `separator`, in the order of `orderBy` (an SQL expression) when given; NULL for no rows.
   */
  stringAgg(expr: string, separator: string, orderBy?: string): string;
  /**
   * Applies query `source` to `target` matched on `keyColumns`: a source row for which
   * `deleteWhen` holds (an SQL condition over the source columns, qualified `weft_source.`)
   * deletes the target row with its key; any other source row updates `columns` of the matching
   * target row or inserts `keyColumns` + `columns` when none matches. `source` must give one
   * row per key and columns named like the target's. One MERGE where the engine has it, else
   * a DELETE then an INSERT: run the statements in order, in one transaction where it matters.
   */
  merge(
    target: RelationRef,
    source: string,
    keyColumns: string[],
    columns: string[],
    options?: { deleteWhen?: string },
  ): string[];

  /**
   * Text to end a derived table's SELECT with so the planner computes it once instead of
   * inlining it into every reference of its columns (Postgres: ` OFFSET 0`); `''` where the
   * engine needs none. Use it on nested stages whose expressions are costly (regexps).
   */
  fence(): string;

  createSchema(schema: string): string;
  /**
   * `CREATE TABLE` with explicit columns (replacing any existing table when `replace`), with a
   * `primaryKey` constraint when given (engines that enforce it reject a second row per key).
   */
  createTable(
    ref: RelationRef,
    columns: ColumnDef[],
    options?: { replace?: boolean; primaryKey?: string[] },
  ): string;
  /** `CREATE OR REPLACE TABLE … AS select`. */
  createTableAs(ref: RelationRef, select: string): string;
  /**
   * Where a session-scoped scratch table named `name` lives (dropped when the connection closes;
   * kept in memory where the engine can, so multi-step SQL avoids writing scratch data to disk).
   */
  tempRelation(name: string): RelationRef;
  /** `CREATE OR REPLACE` a session-scoped scratch table (see `tempRelation`) `AS select`. */
  createTempTableAs(ref: RelationRef, select: string): string;
  /** `CREATE OR REPLACE VIEW … AS select`. */
  createView(ref: RelationRef, select: string): string;
  /** Drop a table or view if it exists. */
  dropRelation(ref: RelationRef, kind: RelationKind): string;
  /** Rename a table within its schema. */
  renameTable(from: RelationRef, toName: string): string;
  /**
   * `ALTER TABLE … ADD COLUMN IF NOT EXISTS` (existing rows read NULL): a no-op when a column of
   * that name exists, so two writers widening one table do not fail each other.
   */
  addColumn(ref: RelationRef, column: ColumnDef): string;
  /** `INSERT INTO ref (cols) select`. */
  insertSelect(ref: RelationRef, columns: string[], select: string): string;
  /** Delete rows of `target` whose key columns match a row of `source`. */
  deleteMatching(target: RelationRef, source: RelationRef, keyColumns: string[]): string;
  /** Rows of query `a` that are not in query `b` (set difference, duplicates removed). */
  except(a: string, b: string): string;
  /**
   * A query returning one row `{kind: 'table' | 'view'}` per relation with this name
   * (zero rows when none exists).
   */
  relationKindQuery(ref: RelationRef): string;
  /** A query returning `{name, type}` per column of a relation, in ordinal order. */
  columnsQuery(ref: RelationRef): string;
}

/** Options for `Warehouse.stream`. */
export interface StreamOptions {
  /** Rows per yielded chunk, approximately (engines may round to their own vector size). */
  chunkRows?: number;
}

/** Options for `Warehouse.load`. */
export interface LoadOptions {
  /** `replace` (default) drops and recreates the table; `append` adds to an existing one. */
  mode?: 'replace' | 'append';
}

/** Does the I/O against one engine. One instance holds one connection/pool. */
export interface Warehouse {
  readonly dialect: Dialect;
  /** Run one statement (or several separated by `;` where the engine allows it). */
  execute(sql: string): Promise<void>;
  /** Run a query and return all rows. For small results only: use `stream` for big ones. */
  query<T extends Row = Row>(sql: string): Promise<T[]>;
  /** Run a query and yield its rows in chunks, holding only one chunk in memory. */
  stream(sql: string, options?: StreamOptions): AsyncIterable<Row[]>;
  /**
   * Bulk-load rows (arrays in `columns` order) into a table, creating it as needed.
   * Uses the engine's fastest path (DuckDB: the appender). Returns the row count loaded.
   */
  load(
    ref: RelationRef,
    columns: ColumnDef[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
    options?: LoadOptions,
  ): Promise<number>;
  /**
   * Runs `body` in one transaction on the connection `execute`/`query` use: its statements
   * commit together, or roll back together when it throws. Callers must not run other
   * statements on this warehouse concurrently with `body`.
   */
  transaction<T>(body: () => Promise<T>): Promise<T>;
  /** Release the connection and any file lock. Idempotent. */
  close(): Promise<void>;
}

/** Where and how to connect; produced from `weft.yml`'s `warehouse` block or `WEFT_WAREHOUSE_URL`. */
export interface WarehouseConnectionConfig {
  type: string;
  /** duckdb: database file path (relative to the project dir) or `:memory:`. */
  path?: string;
  /** URL-style engines (postgres). */
  url?: string;
  [key: string]: unknown;
}

/** A registered engine: its dialect and how to open a warehouse. */
export interface WarehouseEngine {
  readonly name: string;
  readonly dialect: Dialect;
  open(config: WarehouseConnectionConfig, options: { projectDir: string }): Promise<Warehouse>;
}

/** Thrown when the warehouse cannot be opened or a statement fails; carries the SQL's origin. */
export class WarehouseError extends Error {
  constructor(
    message: string,
    readonly sql?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WarehouseError';
  }
}
