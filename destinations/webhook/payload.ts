/** The webhook wire format: request body and per-row results. */
import { createHash } from 'node:crypto';
import { type DestinationRecord, exactJson, type RecordResult } from '../../src/destination-kit/index.js';

/** One row of a webhook batch. */
export interface WebhookRow {
  op: 'upsert' | 'delete';
  key: string;
  /** Stable for the same sync, key, op and data: receivers can drop replays. */
  idempotency_key: string;
  /** The mapped fields; null for deletes. */
  data: Record<string, unknown> | null;
}

/** The body POSTed to the receiver. */
export interface WebhookBatch {
  batch_id: string;
  sync: string;
  rows: WebhookRow[];
}

/** Optional receiver answer reporting rows one by one. */
export interface WebhookResults {
  results?: Array<{ key?: unknown; ok?: unknown; error?: unknown }>;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Builds a batch. The batch id is derived from the run and the rows, so a retried batch keeps its id. */
export function buildBatch(
  syncName: string,
  runId: string,
  op: WebhookRow['op'],
  records: DestinationRecord[],
): WebhookBatch {
  const rows = records.map((record): WebhookRow => {
    const data = op === 'delete' ? null : record.fields;
    const idempotency_key = sha256Hex(exactJson([syncName, record.key, op, data])).slice(0, 32);
    return { op, key: record.key, idempotency_key, data };
  });
  const batch_id = `${runId}-${sha256Hex(rows.map((row) => row.idempotency_key).join(',')).slice(0, 16)}`;
  return { batch_id, sync: syncName, rows };
}

/**
 * Turns a 2xx answer into one result per record. Without a `results` array every row is ok; with
 * one, rows are matched by key: ok → ok, !ok → rejected with its error, a row missing from the
 * answer → retryable (we never mark a row the receiver did not acknowledge).
 */
export function resultsFromAnswer(records: DestinationRecord[], answer: unknown): RecordResult[] {
  const results = (answer as WebhookResults | undefined)?.results;
  if (!Array.isArray(results)) return records.map(() => ({ status: 'ok' }));
  const byKey = new Map<string, { ok?: unknown; error?: unknown }>();
  for (const entry of results) if (entry && entry.key !== undefined) byKey.set(String(entry.key), entry);
  return records.map((record): RecordResult => {
    const entry = byKey.get(record.key);
    if (entry === undefined)
      return { status: 'retryable', reason: 'the receiver returned no result for this row' };
    if (entry.ok === true) return { status: 'ok' };
    const reason = typeof entry.error === 'string' && entry.error ? entry.error : 'rejected by the receiver';
    return { status: 'rejected', reason };
  });
}
