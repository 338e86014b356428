/**
 * Loading a table or query of an operational database (MySQL/MariaDB, Postgres, SQL Server) into
 * a source table through knex, streamed (source cursor → typed rows → `writeRows`), and
 * incremental by a cursor column whose highest value is kept in `<state_schema>.load_state`.
 *
 * Cursor semantics: an increment reads rows with `cursor > stored` (append) or `cursor >= stored`
 * (upsert: rows sharing the stored value, e.g. committed late with the same `updated_at`, are read
 * again and merged by key, harmlessly), and never above the maximum taken when the load began.
 */
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { LoadMode, LoadProgress, LoadSummary } from '../types.js';
import { LoadError, writeRows } from '../write.js';
import type { ColumnPlan } from './column-plan.js';
import { connectSource, sourceError } from './connect.js';
import { readLoadState, writeLoadState } from './load-state.js';
import { describeColumns, streamRows } from './read.js';
import { fromSource, maxCursor, type SourceSelect, selectRows } from './source-query.js';
import { targetRelation } from './target.js';
import { parseSourceUrl, type SourceUrl, scrubPassword } from './url.js';

/** What `weft load --from URL (--table T | --query SQL) --into SOURCE.TABLE` asks for. */
export interface DatabaseLoadRequest {
  /** A database URL (`mysql://…`, `mariadb://…`, `postgres://…`, `mssql://…`). */
  from: string;
  table?: string;
  query?: string;
  /** `SOURCE.TABLE`. */
  into: string;
  /**
   * How rows meet the table. With `cursor`, `replace` (the CLI's default) means "the default":
   * upsert by `key` when given, else append — and replace again with `full`.
   */
  mode: LoadMode;
  key?: string[];
  /** Column whose growing values mark new rows: only rows above the last load's maximum are read. */
  cursor?: string;
  /** Read everything again, ignoring the stored cursor. */
  full?: boolean;
}

const PROGRESS_EVERY_ROWS = 10_000;

/** The mode a request really loads with (see DatabaseLoadRequest.mode). */
export function effectiveMode(request: DatabaseLoadRequest): LoadMode {
  if (!request.cursor || request.mode !== 'replace' || request.full) return request.mode;
  return request.key && request.key.length > 0 ? 'upsert' : 'append';
}

/** What the load read, for summaries and the state table: the masked URL and the table or query. */
export function describeSource(
  source: SourceUrl,
  request: Pick<DatabaseLoadRequest, 'table' | 'query'>,
): string {
  return `${source.masked} ${request.table ? `table ${request.table}` : `query ${request.query}`}`;
}

/** Loads from an operational database into the warehouse. */
export async function loadFromDatabase(
  project: Project,
  warehouse: Warehouse,
  request: DatabaseLoadRequest,
  progress: LoadProgress = {},
): Promise<LoadSummary> {
  const started = Date.now();
  if (!request.table === !request.query)
    throw new LoadError('--from needs exactly one of --table or --query');
  const source = parseSourceUrl(request.from);
  const mode = effectiveMode(request);
  const relation = targetRelation(project, request.into);
  const described = describeSource(source, request);
  const stateSchema = project.config.state_schema;
  const knex = await connectSource(source);
  try {
    const base: SourceSelect = { ...(request.table ? { table: request.table } : { query: request.query }) };
    const what = request.table ? `cannot read table ${request.table} from` : 'cannot run the --query on';
    const columns = await guard(source, what, () =>
      describeColumns(knex, source.client, fromSource(knex, base)),
    );
    let select = base;
    let cursorValue: string | null | undefined;
    if (request.cursor) {
      const column = columns.find((c) => c.def.name === request.cursor);
      if (!column) {
        throw new LoadError(
          `--cursor ${request.cursor} is not a column of ${described} (it has ${columns.map((c) => c.def.name).join(', ')})`,
        );
      }
      const stored = request.full ? undefined : await readLoadState(warehouse, stateSchema, request.into);
      const after =
        stored && stored.source === described && stored.cursor_column === request.cursor
          ? (stored.cursor_value ?? undefined)
          : undefined;
      const cursor = {
        column: request.cursor,
        kind: column.kind,
        inclusive: mode === 'upsert',
        ...(after !== undefined ? { after } : {}),
      };
      const [maxRow] = (await guard(source, what, () => maxCursor(knex, { ...base, cursor }))) as Array<{
        weft_max?: unknown;
      }>;
      const upTo = cellText(maxRow?.weft_max);
      select = { ...base, cursor: { ...cursor, upTo } };
      cursorValue = upTo ?? after ?? null;
    }
    let rowsRead = 0;
    const rows = typedRows(
      streamRows(knex, source.client, selectRows(knex, select), columns),
      columns,
      () => {
        rowsRead += 1;
        if (rowsRead % PROGRESS_EVERY_ROWS === 0) progress.onProgress?.({ rows: rowsRead });
      },
    );
    const loaded = await guard(source, what, () =>
      writeRows(
        warehouse,
        relation,
        columns.map((c) => c.def),
        rows,
        { mode, ...(request.key ? { key: request.key } : {}) },
      ),
    );
    progress.onProgress?.({ rows: rowsRead });
    if (request.cursor) {
      await writeLoadState(warehouse, stateSchema, {
        target: request.into,
        source: described,
        cursor_column: request.cursor,
        cursor_value: cursorValue ?? null,
        loaded_at: new Date(),
        rows_loaded: loaded,
      });
    }
    return {
      into: request.into,
      relation,
      mode,
      inputs: [described],
      rows_read: rowsRead,
      rows_loaded: loaded,
      rejected: [],
      rejected_count: 0,
      ...(cursorValue !== undefined && cursorValue !== null ? { cursor: cursorValue } : {}),
      ms: Date.now() - started,
    };
  } finally {
    await knex.destroy().catch(() => undefined);
  }
}

async function* typedRows(
  raw: AsyncIterable<unknown[]>,
  columns: ColumnPlan[],
  onRow: () => void,
): AsyncGenerator<unknown[]> {
  for await (const values of raw) {
    onRow();
    yield values.map((value, index) => (columns[index] as ColumnPlan).convert(value ?? null));
  }
}

function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value)
    ? value.toString('utf8')
    : value instanceof Date
      ? value.toISOString()
      : String(value);
}

/**
 * Runs a step that talks to the source; its driver errors become LoadErrors naming the connection
 * (password masked), while weft's own errors (LoadError, WarehouseError) pass with the password scrubbed.
 */
async function guard<T>(source: SourceUrl, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof Error && (error.name === 'LoadError' || error.name === 'WarehouseError')) {
      error.message = scrubPassword(error.message, source);
      throw error;
    }
    throw sourceError(source, what, error);
  }
}
