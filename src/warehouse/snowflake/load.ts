import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type ColumnDef,
  type Dialect,
  type LoadOptions,
  type LogicalType,
  type RelationRef,
  type Row,
  WarehouseError,
} from '../types.js';
import { DEFAULT_FILE_BYTES, writeCsvFiles } from './csv-files.js';

type Rows = Iterable<unknown[]> | AsyncIterable<unknown[]>;

/** The session operations a load needs (each runs in order on the session). */
export interface LoadSession {
  execute(sql: string): Promise<void>;
  query(sql: string): Promise<Row[]>;
}

/**
 * Staged bulk load: the rows are written to CSV files in a temporary folder (every value
 * checked first, so a bad value fails before the table is touched), then the schema and table
 * are created (`replace`: recreated), the files are PUT (gzip-compressed by the driver) under a
 * fresh folder of the table's own stage (`@schema.%table`, no extra privilege needed) and one
 * COPY INTO loads them (reading timestamps and dates as UTC text) and purges them. The local
 * folder is removed whatever happens. Returns the rows loaded.
 */
export async function loadRows(
  session: LoadSession,
  dialect: Dialect,
  ref: RelationRef,
  columns: ColumnDef[],
  rows: Rows,
  options?: LoadOptions,
  fileBytes = DEFAULT_FILE_BYTES,
): Promise<number> {
  const mode = options?.mode ?? 'replace';
  const target = dialect.qualify(ref);
  const dir = await mkdtemp(path.join(tmpdir(), 'weft-snowflake-load-'));
  try {
    const { count, files } = await writeCsvFiles(dir, rows, columns, target, fileBytes);
    await session.execute(dialect.createSchema(ref.schema));
    if (mode === 'append') await assertSameColumns(session, dialect, ref, columns);
    await session.execute(dialect.createTable(ref, columns, { replace: mode === 'replace' }));
    if (files.length === 0) return 0;
    const stage = `@${dialect.quoteIdent(ref.schema)}.%${dialect.quoteIdent(ref.name)}/weft-${randomUUID()}/`;
    const pattern = path.join(dir, 'part-*.csv').replaceAll('\\', '/').replaceAll("'", "\\'");
    await session.execute(`PUT 'file://${pattern}' ${stage} AUTO_COMPRESS = TRUE OVERWRITE = TRUE`);
    const copied = await session.query(copySql(dialect, target, columns, stage));
    const loaded = copied.reduce((sum, row) => sum + Number(row.rows_loaded ?? 0), 0);
    if (loaded !== count) {
      throw new WarehouseError(`Loading ${target}: COPY INTO loaded ${loaded} of ${count} rows`, undefined);
    }
    return count;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How a staged CSV field (`$n`, text) becomes the column's value (`json` columns are text in this dialect). */
function fieldExpression(type: LogicalType, position: number): string {
  const field = `$${position}`;
  if (type === 'timestamp') return `CAST(${field} AS TIMESTAMP_NTZ)`;
  if (type === 'date') return `CAST(${field} AS DATE)`;
  return field;
}

function copySql(dialect: Dialect, target: string, columns: ColumnDef[], stage: string): string {
  const names = columns.map((column) => dialect.quoteIdent(column.name)).join(', ');
  const fields = columns.map((column, index) => fieldExpression(column.type, index + 1)).join(', ');
  return (
    `COPY INTO ${target} (${names}) FROM (SELECT ${fields} FROM ${stage}) ` +
    `FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"' EMPTY_FIELD_AS_NULL = TRUE ` +
    `ESCAPE_UNENCLOSED_FIELD = NONE) PURGE = TRUE`
  );
}

/** `append` into an existing table whose columns differ from the rows' would scramble data. */
async function assertSameColumns(
  session: LoadSession,
  dialect: Dialect,
  ref: RelationRef,
  columns: ColumnDef[],
): Promise<void> {
  const rows = await session.query(dialect.columnsQuery(ref));
  if (rows.length === 0) return;
  const existing = rows.map((row) => String(row.name));
  const wanted = columns.map((column) => column.name);
  // Sessions ignore the case of quoted names: the catalog reports them upper-case.
  if (existing.join('\0').toLowerCase() !== wanted.join('\0').toLowerCase()) {
    throw new WarehouseError(
      `Cannot append to ${dialect.qualify(ref)}: it has columns (${existing.join(', ')}), the rows have (${wanted.join(', ')})`,
    );
  }
}
