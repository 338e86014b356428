/**
 * The file destination: an audit trail of what a sync sent. One file per run under `path`
 * (`<sync>-<run id>.jsonl|csv`), batches appended in order. Every record is ok unless the write
 * fails, which fails the whole batch (config for permission/path problems, retryable otherwise).
 * Delivery is at-least-once: a batch retried after a crash may appear twice in a file.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import {
  type DestinationContext,
  type DestinationRecord,
  defineDestination,
  parseCsv,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { csvHeader, csvLine, type FileRow, jsonlLine } from './format.js';
import { appendText, ensureDir, firstLine, serialised } from './writer.js';

/** File connection settings. */
export const fileSettings = z.object({
  path: z
    .string()
    .min(1)
    .describe('Directory receiving one file per run (created when missing), relative to the project'),
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
});

type FileSettings = z.output<typeof fileSettings>;

/** File name safe on every OS: letters, digits, `_`, `-`, `.`. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

/** The directory files go to: `path`, relative to the project (else the working directory). */
export function outputDir(settings: FileSettings, projectDir?: string): string {
  return resolve(projectDir ?? process.cwd(), settings.path);
}

/** The file a run writes to. */
export function runFilePath(
  settings: FileSettings,
  syncName: string,
  runId: string,
  projectDir?: string,
): string {
  return join(outputDir(settings, projectDir), `${safeName(syncName)}-${safeName(runId)}.${settings.format}`);
}

/** CSV: the header's fields (from the file when it exists, else from this batch). */
async function csvFields(path: string, rows: FileRow[]): Promise<{ fields: string[]; header?: string }> {
  const existing = await firstLine(path);
  if (existing !== undefined) return { fields: (parseCsv(existing)[0] ?? []).slice(3) };
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row.data ?? {})) names.add(name);
  const fields = [...names].sort();
  return { fields, header: csvHeader(fields) };
}

async function write(ctx: DestinationContext<FileSettings>, op: string, records: DestinationRecord[]) {
  const path = runFilePath(ctx.settings, ctx.syncName, ctx.runId, ctx.projectDir);
  const at = new Date().toISOString();
  const rows = records.map((r): FileRow => ({ at, op, key: r.key, data: op === 'delete' ? null : r.fields }));
  return serialised(path, async (): Promise<RecordResult[]> => {
    await ensureDir(outputDir(ctx.settings, ctx.projectDir));
    if (ctx.settings.format === 'jsonl') {
      await appendText(path, rows.map(jsonlLine).join(''));
      return rows.map(() => ({ status: 'ok' }));
    }
    const { fields, header } = await csvFields(path, rows);
    // A field missing from the CSV header cannot be written: reject the record rather than drop it.
    const known = new Set(fields);
    const results = rows.map((row): RecordResult => {
      const unknown = Object.keys(row.data ?? {}).filter((name) => !known.has(name));
      return unknown.length === 0
        ? { status: 'ok' }
        : { status: 'rejected', reason: `field(s) not in the CSV header: ${unknown.join(', ')}` };
    });
    const lines = rows.filter((_, i) => results[i]?.status === 'ok').map((row) => csvLine(row, fields));
    await appendText(path, (header ?? '') + lines.join(''));
    return results;
  });
}

/** The file destination. */
export const file = defineDestination({
  type: 'file',
  description: 'JSONL or CSV audit files, one per run',
  settings: fileSettings,
  capabilities: {
    modes: ['upsert', 'insert', 'update', 'mirror', 'membership'],
    batch: { maxRecords: 10_000, maxBytes: 16_000_000 },
    // One writer per file keeps batches in order.
    concurrency: 1,
  },
  upsert: (ctx, records) => write(ctx, 'upsert', records),
  insert: (ctx, records) => write(ctx, 'insert', records),
  update: (ctx, records) => write(ctx, 'update', records),
  remove: (ctx, records) => write(ctx, 'delete', records),
  addMembers: (ctx, records) => write(ctx, 'add', records),
  removeMembers: (ctx, records) => write(ctx, 'remove', records),
  async testConnection(ctx) {
    await ensureDir(outputDir(ctx.settings, ctx.projectDir));
  },
});
