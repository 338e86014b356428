import { open } from 'node:fs/promises';
import path from 'node:path';
import { convertRow } from '../load-row.js';
import type { ColumnDef } from '../types.js';
import { toCsvField } from './csv-values.js';

type Rows = Iterable<unknown[]> | AsyncIterable<unknown[]>;

const LINES_PER_WRITE = 1000;

/** Default size of one staged file before compression: Snowflake loads files of 100-250 MB compressed best; these compress ~5-10x. */
export const DEFAULT_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Writes `rows` as CSV files `part-00001.csv`, … in `dir`, 1,000 lines per write, starting a
 * new file once one holds `fileBytes`, so memory stays bounded. Every value is checked
 * and converted here, before anything touches the warehouse: a bad value fails with its row
 * number and column. Returns the row count and the file names.
 */
export async function writeCsvFiles(
  dir: string,
  rows: Rows,
  columns: ColumnDef[],
  target: string,
  fileBytes = DEFAULT_FILE_BYTES,
): Promise<{ count: number; files: string[] }> {
  const files: string[] = [];
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let bytes = 0;
  let lines: string[] = [];
  let count = 0;
  const flush = async () => {
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    lines = [];
    if (!handle || bytes >= fileBytes) {
      await handle?.close();
      const name = `part-${String(files.length + 1).padStart(5, '0')}.csv`;
      files.push(name);
      handle = await open(path.join(dir, name), 'w');
      bytes = 0;
    }
    await handle.write(text);
    bytes += Buffer.byteLength(text);
  };
  try {
    for await (const row of rows) {
      count += 1;
      lines.push(csvLine(row, columns, target, count));
      if (lines.length >= LINES_PER_WRITE) await flush();
    }
    await flush();
  } finally {
    await handle?.close();
  }
  return { count, files };
}

function csvLine(row: unknown[], columns: ColumnDef[], target: string, rowNumber: number): string {
  return convertRow(row, columns, target, rowNumber, toCsvField).join(',');
}
