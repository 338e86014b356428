/** Line formats of the file destination: JSONL and CSV (RFC 4180 quoting); numbers as their exact digits. */
import { ExactNumber, exactJson } from '../../src/destination-kit/index.js';

/** One audit line: what was sent, for which key. */
export interface FileRow {
  at: string;
  op: string;
  key: string;
  data: Record<string, unknown> | null;
}

/** One JSON object per line. */
export function jsonlLine(row: FileRow): string {
  return `${exactJson(row)}\n`;
}

/** Quotes a CSV cell when it holds a comma, quote, CR or LF; objects are written as JSON. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'object' && !(value instanceof ExactNumber) ? exactJson(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header: fixed columns then the data fields. */
export function csvHeader(fields: readonly string[]): string {
  return `${['at', 'op', 'key', ...fields].map(csvCell).join(',')}\n`;
}

/** One CSV line with the header's fields (missing ones empty). */
export function csvLine(row: FileRow, fields: readonly string[]): string {
  const cells = [row.at, row.op, row.key, ...fields.map((field) => row.data?.[field])];
  return `${cells.map(csvCell).join(',')}\n`;
}
