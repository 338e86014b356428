import type { Column, Connection, ConnectionOptions, RowStatement } from 'snowflake-sdk';

type Sdk = typeof import('snowflake-sdk');
let sdk: Promise<Sdk> | undefined;

/**
 * Loads snowflake-sdk on first use, not when weft starts: importing it takes ~2 s (it pulls in
 * the AWS, Azure and Google storage clients) and the AWS one prints a Node version warning,
 * which every weft command would pay although only Snowflake users need it. The SDK's own
 * logger is silenced once: it writes to a file or the console by default, and weft must never
 * print connection details or anything near a secret.
 */
function loadSdk(): Promise<Sdk> {
  // The AWS SDK (used by snowflake-sdk for S3 stages) warns on Node < 22 when loaded; weft
  // supports Node 20, so that warning would only confuse (the user's own setting wins).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdk ??= import('snowflake-sdk').then((module) => {
    const loaded = ((module as { default?: Sdk }).default ?? module) as Sdk;
    loaded.configure({ logLevel: 'OFF', additionalLogToConsole: false });
    return loaded;
  });
  return sdk;
}

/** Creates a connection and logs in once; rejects with the SDK's error. */
export async function connect(options: ConnectionOptions): Promise<Connection> {
  const snowflake = await loadSdk();
  const connection = snowflake.createConnection(options);
  await new Promise<void>((resolve, reject) => {
    connection.connect((error) => (error ? reject(error) : resolve()));
  });
  return connection;
}

/** One statement's result: its columns (the SDK's metadata) and rows as arrays. */
export interface StatementResult {
  columns: Column[];
  rows: unknown[][];
}

/**
 * Runs one statement and collects its rows (arrays in column order; NUMBER values as the raw
 * text, converted by read-values.ts). `file`: PUT/GET statements, whose result is the transfer
 * report.
 */
export function run(connection: Connection, sqlText: string): Promise<StatementResult> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      rowMode: 'array',
      fetchAsString: ['Number'],
      complete(error, statement, rows) {
        if (error) reject(error);
        else
          resolve({
            columns: (statement as RowStatement).getColumns() ?? [],
            rows: (rows ?? []) as unknown[][],
          });
      },
    });
  });
}

/**
 * Starts a statement whose rows are read later with `statement.streamRows()` (streamResult:
 * the SDK then downloads result chunks as the stream is read instead of all at once).
 */
export function start(connection: Connection, sqlText: string): Promise<RowStatement> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      rowMode: 'array',
      fetchAsString: ['Number'],
      streamResult: true,
      complete(error, statement) {
        if (error) reject(error);
        else resolve(statement as RowStatement);
      },
    });
  });
}

/** Logs out (deletes the server session); errors are ignored, the connection is gone either way. */
export function destroy(connection: Connection): Promise<void> {
  return new Promise((resolve) => {
    if (!connection.isUp()) return resolve();
    connection.destroy(() => resolve());
  });
}
