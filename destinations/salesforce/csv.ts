/**
 * CSV as Bulk API 2.0 reads and writes it (RFC 4180, comma, LF line endings): the connector
 * writes upload bodies and parses result files; the emulator does the reverse.
 */
import { parseCsv } from '../../src/destination-kit/index.js';

export { parseCsv };

/** One cell: quoted when it holds a comma, quote, line break or edge whitespace. */
export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV document (header + rows, LF line endings, trailing newline). */
export function toCsv(header: string[], rows: string[][]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

/** Parses CSV with a header into objects (column → cell). */
export function parseCsvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsv(text);
  const records = rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
  return { header, records };
}
