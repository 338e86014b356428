/**
 * Reads a source query: its columns (from the driver's metadata, before any row) and its rows,
 * streamed in bounded memory (mysql2/tedious: knex's `.stream()`, which pauses the socket when
 * the consumer lags; Postgres: a server-side cursor read in batches on a knex connection).
 */
import type { Knex } from 'knex';
import Cursor from 'pg-cursor';
import type { ColumnPlan } from './column-plan.js';
import { mssqlColumns } from './mssql-columns.js';
import { type MysqlField, mysqlColumn } from './mysql-columns.js';
import { type PostgresField, postgresColumn } from './postgres-columns.js';
import type { SourceClient } from './url.js';

const PG_BATCH_ROWS = 2000;

/** The columns `builder` returns, typed from the source's metadata. */
export async function describeColumns(
  knex: Knex,
  client: SourceClient,
  builder: Knex.QueryBuilder,
): Promise<ColumnPlan[]> {
  const sql = builder.clone().limit(0).toString();
  if (client === 'mysql2') {
    const [, fields] = (await knex.raw(sql)) as [unknown, MysqlField[]];
    return fields.map(mysqlColumn);
  }
  if (client === 'pg') {
    const result = (await knex.raw(sql)) as { fields: PostgresField[] };
    return result.fields.map(postgresColumn);
  }
  return mssqlColumns(knex, builder.toString());
}

/** The rows of `builder` as raw values in the columns' order. */
export async function* streamRows(
  knex: Knex,
  client: SourceClient,
  builder: Knex.QueryBuilder,
  columns: ColumnPlan[],
): AsyncGenerator<unknown[]> {
  if (client === 'pg') {
    yield* postgresRows(knex, builder); // rowMode 'array' keeps the columns' order
    return;
  }
  const names = columns.map((c) => c.def.name);
  const stream = builder.stream();
  try {
    for await (const row of stream as AsyncIterable<Record<string, unknown>>) {
      yield names.map((name) => row[name] ?? null);
    }
  } finally {
    stream.destroy();
  }
}

async function* postgresRows(knex: Knex, builder: Knex.QueryBuilder): AsyncGenerator<unknown[]> {
  const { sql, bindings } = builder.toSQL().toNative();
  const connection = (await knex.client.acquireConnection()) as {
    query<T>(cursor: T): T;
  };
  const cursor = connection.query(new Cursor(sql, bindings as unknown[], { rowMode: 'array' }));
  try {
    while (true) {
      const rows = (await cursor.read(PG_BATCH_ROWS)) as unknown[][];
      if (rows.length === 0) break;
      yield* rows;
    }
  } finally {
    await cursor.close().catch(() => undefined);
    await knex.client.releaseConnection(connection);
  }
}
