/** Bad CSV lines: DuckDB stores them (store_rejects) with their line numbers; weft reports or refuses them. */
import { randomBytes } from 'node:crypto';
import { duckdbDialect as d } from '../../warehouse/duckdb/dialect.js';
import type { RejectedLine } from '../types.js';
import { LoadError } from '../write.js';
import { shownPath } from './paths.js';
import type { SqlReader } from './reader.js';

/** The temp tables one read stores its bad lines in. */
export interface RejectTables {
  table: string;
  scan: string;
}

/** Fresh reject table names. */
export function rejectTables(): RejectTables {
  const tag = randomBytes(4).toString('hex');
  return { table: `weft_rejects_${tag}`, scan: `weft_reject_scans_${tag}` };
}

/** The bad lines of a read: how many, and the first 100 with file:line. */
export async function collectRejects(
  reader: SqlReader,
  tables: RejectTables,
  projectDir: string,
): Promise<{ count: number; lines: RejectedLine[] }> {
  const exists = await reader.query(
    `SELECT 1 FROM duckdb_tables() WHERE table_name = ${d.literal(tables.table)} AND temporary`,
  );
  if (exists.length === 0) return { count: 0, lines: [] };
  const [total] = await reader.query(`SELECT count(*) AS n FROM ${d.quoteIdent(tables.table)}`);
  const rows = await reader.query(
    `SELECT s.file_path, e.line, e.column_name, e.error_type, e.error_message
     FROM ${d.quoteIdent(tables.table)} e JOIN ${d.quoteIdent(tables.scan)} s USING (scan_id, file_id)
     ORDER BY s.file_path, e.line LIMIT 100`,
  );
  const lines = rows.map((row): RejectedLine => {
    const line: RejectedLine = {
      file: shownPath(projectDir, String(row.file_path)),
      line: Number(row.line),
      reason: reason(String(row.error_type), String(row.error_message)),
    };
    if (row.column_name !== null && row.column_name !== undefined) line.column = String(row.column_name);
    return line;
  });
  return { count: Number(total?.n ?? 0), lines };
}

function reason(type: string, text: string): string {
  const first = text.split('\n')[0]!.trim();
  if (type === 'CAST') return first.replace(/^Error when converting column "[^"]*"\. /, '');
  if (type === 'TOO MANY COLUMNS' || type === 'MISSING COLUMNS') return `wrong number of fields: ${first}`;
  return first;
}

/** Throws a LoadError listing the bad lines when there are more than `maxRejects`. */
export function assertWithinLimit(
  rejects: { count: number; lines: RejectedLine[] },
  maxRejects: number,
): void {
  if (rejects.count <= maxRejects) return;
  const shown = rejects.lines
    .slice(0, 10)
    .map((r) => `  ${r.file}:${r.line}${r.column ? ` (column ${r.column})` : ''}: ${r.reason}`);
  const more = rejects.count > shown.length ? [`  … and ${rejects.count - shown.length} more`] : [];
  throw new LoadError(
    [
      `${rejects.count} bad line${rejects.count === 1 ? '' : 's'}${maxRejects > 0 ? ` (more than --max-rejects ${maxRejects})` : ''}; nothing was loaded:`,
      ...shown,
      ...more,
      maxRejects === 0 ? 'Fix the lines, or pass --max-rejects N to skip up to N bad lines.' : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

/** Drops the reject tables of a read. */
export async function dropRejects(reader: SqlReader, tables: RejectTables): Promise<void> {
  for (const name of [tables.table, tables.scan]) {
    await reader.execute(`DROP TABLE IF EXISTS ${d.quoteIdent(name)}`).catch(() => undefined);
  }
}
