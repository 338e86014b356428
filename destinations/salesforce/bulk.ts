/**
 * Bulk API 2.0 ingest, one job per batch: create the job, PUT the CSV, PATCH UploadComplete,
 * poll with backoff until JobComplete/Failed/Aborted (honouring ctx.signal), then read the
 * successful, failed and unprocessed results and map them back to the batch's records by
 * external id: failed → rejected with sf__Error, unprocessed or missing → retryable.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DestinationError,
  type DestinationRecord,
  ExactNumber,
  exactJson,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { dataPath, externalIdOf, type SalesforceContext, sfJson, sfSend, sObjectOf } from './api.js';
import { parseCsvRecords, toCsv } from './csv.js';
import { bulkErrorRetryable } from './errors.js';

/** A job's status. */
interface JobInfo {
  id: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  errorMessage?: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
}

/** Longest wait between two polls. */
const MAX_POLL_MS = 30_000;

/** A CSV cell for a field value: null clears the field (`#N/A`), objects as JSON. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '#N/A';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && !(value instanceof ExactNumber)) return exactJson(value);
  return String(value);
}

/** The upload: the external id column first, then every mapped field in first-seen order. */
export function ingestCsv(externalId: string, records: DestinationRecord[]): string {
  const columns = [externalId];
  const seen = new Set(columns);
  for (const record of records) {
    for (const name of Object.keys(record.fields)) {
      if (!seen.has(name)) {
        seen.add(name);
        columns.push(name);
      }
    }
  }
  const rows = records.map((record) =>
    columns.map((name) => {
      if (name === externalId && !(name in record.fields)) return record.key;
      // A field this record lacks stays as Salesforce has it (empty cell), unlike an explicit null.
      return name in record.fields ? cell(record.fields[name]) : '';
    }),
  );
  return toCsv(columns, rows);
}

/** Runs one ingest job (`upsert` by external id, or `insert`) for the batch. */
export async function bulkIngest(
  ctx: SalesforceContext,
  operation: 'upsert' | 'insert',
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const externalId = externalIdOf(ctx);
  const jobs = dataPath(ctx, '/jobs/ingest');
  const job = await sfJson<JobInfo>(ctx, {
    method: 'POST',
    path: jobs,
    json: {
      object: sObjectOf(ctx),
      operation,
      ...(operation === 'upsert' && { externalIdFieldName: externalId }),
      contentType: 'CSV',
      lineEnding: 'LF',
    },
  });
  ctx.logger.info('salesforce bulk job', { job: job.id, operation, records: records.length });
  await sfSend(ctx, {
    method: 'PUT',
    path: `${jobs}/${job.id}/batches`,
    body: ingestCsv(externalId, records),
    headers: { 'content-type': 'text/csv' },
  });
  await sfJson(ctx, { method: 'PATCH', path: `${jobs}/${job.id}`, json: { state: 'UploadComplete' } });
  const done = await waitForJob(ctx, `${jobs}/${job.id}`);
  const results = await jobResults(ctx, `${jobs}/${job.id}`, externalId, records);
  if (done.state !== 'JobComplete' && results.every((r) => r.status === 'retryable')) {
    // Nothing was processed: the job itself is wrong (e.g. an unknown column), not its rows.
    throw new DestinationError(
      done.state === 'Failed' ? 'config' : 'retryable',
      `Salesforce bulk job ${job.id} ${done.state}: ${done.errorMessage ?? 'no message'}`,
    );
  }
  return results;
}

/** Polls the job until it ends, waiting bulk_poll_ms, then twice as long each time (capped). */
export async function waitForJob(ctx: SalesforceContext, path: string): Promise<JobInfo> {
  const deadline = Date.now() + ctx.settings.bulk_timeout_ms;
  let wait = ctx.settings.bulk_poll_ms;
  for (;;) {
    const info = await sfJson<JobInfo>(ctx, { path });
    if (info.state === 'JobComplete' || info.state === 'Failed' || info.state === 'Aborted') return info;
    if (Date.now() + wait > deadline) {
      throw new DestinationError(
        'retryable',
        `Salesforce bulk job still ${info.state} after ${ctx.settings.bulk_timeout_ms} ms`,
      );
    }
    await sleep(wait, undefined, { signal: ctx.signal });
    wait = Math.min(wait * 2, MAX_POLL_MS);
  }
}

/** The three result files mapped back to the records (by external id). */
async function jobResults(
  ctx: SalesforceContext,
  path: string,
  externalId: string,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const read = async (name: string) =>
    parseCsvRecords((await sfSend(ctx, { path: `${path}/${name}`, headers: { accept: 'text/csv' } })).text)
      .records;
  const byKey = new Map<string, RecordResult>();
  for (const row of await read('successfulResults')) {
    const id = row.sf__Id;
    byKey.set(row[externalId] ?? '', id ? { status: 'ok', destinationId: id } : { status: 'ok' });
  }
  for (const row of await read('failedResults')) {
    const reason = (row.sf__Error ?? 'failed without sf__Error').replace(/\s*--\s*$/, '');
    byKey.set(
      row[externalId] ?? '',
      bulkErrorRetryable(reason)
        ? { status: 'retryable', reason, retryAfterMs: 1000 }
        : { status: 'rejected', reason },
    );
  }
  for (const row of await read('unprocessedrecords')) {
    byKey.set(row[externalId] ?? '', {
      status: 'retryable',
      reason: 'not processed by the Salesforce bulk job',
    });
  }
  return records.map(
    (record) =>
      byKey.get(keyOf(record, externalId)) ?? {
        status: 'retryable',
        reason: 'missing from the Salesforce bulk job results',
      },
  );
}

function keyOf(record: DestinationRecord, externalId: string): string {
  return externalId in record.fields ? cell(record.fields[externalId]) : record.key;
}
