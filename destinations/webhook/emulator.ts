/**
 * Local emulator of a weft webhook receiver — the reference for writing one: verifies the
 * signature (401 otherwise), refuses batches over `maxRows` (413), keeps the current state per
 * sync (upsert sets key → data, delete removes), answers per-row results (rejecting rows that
 * match the sandbox's reject rules), and treats a `batch_id` it already applied within the
 * signature window as a replay: the first answer again, nothing applied twice.
 */
import type {
  EmulatorDefinition,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorTools,
} from '../../src/sandbox/types.js';
import type { WebhookBatch, WebhookRow } from './payload.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature.js';

/** Emulator options. */
export interface WebhookEmulatorOptions {
  /** Signing secret the receiver expects. */
  secret: string;
  /** Largest batch accepted; bigger batches get 413. */
  maxRows: number;
  /** Allowed clock skew for X-Weft-Timestamp, in seconds. */
  toleranceSeconds: number;
  /**
   * When to answer `{results:[…]}`: always; only when a row is rejected; or never — then a batch
   * holding a rejected row is refused as a whole with 422 (nothing applied).
   */
  results: 'always' | 'on_reject' | 'never';
  /**
   * What to keep per key: the row's data, or only its idempotency key (a digest of sync, key and
   * data) so a million-row run costs little memory and can still be checked exactly.
   */
  store: 'data' | 'digest';
}

/** One received batch, as kept in the state. */
export interface ReceivedBatch {
  batch_id: string;
  sync: string;
  rows: number;
  bytes: number;
  rejected: number;
}

/** The emulator's state (GET /__sandbox/state → state). */
export interface WebhookEmulatorState {
  /**
   * sync → key → data (with store 'digest': `{ idempotency_key }`): what the receiver holds.
   * Empty with `?records=false` (see `counts`).
   */
  records: Record<string, Record<string, Record<string, unknown>>>;
  /** sync → number of keys held. */
  counts: Record<string, number>;
  batches: ReceivedBatch[];
  rowsReceived: number;
  rowsRejected: number;
  /** Largest batch received (rows), accepted or not. */
  maxBatchRows: number;
  /** Batches received again (same batch_id within the signature window): answered, not applied. */
  replays: number;
}

const DEFAULTS: WebhookEmulatorOptions = {
  secret: 'weft-sandbox-secret',
  maxRows: 10_000,
  toleranceSeconds: 300,
  results: 'always',
  store: 'data',
};

function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseBatch(value: unknown): WebhookBatch | string {
  const batch = value as Partial<WebhookBatch> | undefined;
  if (
    !batch ||
    typeof batch.batch_id !== 'string' ||
    typeof batch.sync !== 'string' ||
    !Array.isArray(batch.rows)
  ) {
    return 'expected {batch_id, sync, rows:[…]}';
  }
  for (const row of batch.rows as Partial<WebhookRow>[]) {
    if (typeof row?.key !== 'string' || typeof row.idempotency_key !== 'string')
      return 'every row needs key and idempotency_key';
    if (row.op !== 'upsert' && row.op !== 'delete') return `unknown op ${JSON.stringify(row.op)}`;
    if (row.op === 'upsert' && (row.data === null || typeof row.data !== 'object'))
      return 'upsert rows need data';
  }
  return batch as WebhookBatch;
}

function createWebhookEmulator(options: Partial<WebhookEmulatorOptions>) {
  const config = { ...DEFAULTS, ...options };
  let records = new Map<string, Map<string, Record<string, unknown>>>();
  let batches: ReceivedBatch[] = [];
  let rowsReceived = 0;
  let rowsRejected = 0;
  let maxBatchRows = 0;
  let replays = 0;
  // batch_id → when it was applied and what was answered, kept for the signature window only:
  // after it, a replay fails the timestamp check anyway.
  let applied = new Map<string, { at: number; response: EmulatorResponse }>();
  const remember = (batchId: string, response: EmulatorResponse) => {
    const now = Date.now();
    for (const [id, entry] of applied) {
      if (now - entry.at <= config.toleranceSeconds * 1000) break;
      applied.delete(id);
    }
    applied.set(batchId, { at: now, response });
  };

  const handle = (request: EmulatorRequest, tools: EmulatorTools): EmulatorResponse => {
    if (request.method !== 'POST') return { status: 405, body: { error: 'POST batches here' } };
    const text = request.text();
    const signatureProblem = verifySignature(
      config.secret,
      header(request, TIMESTAMP_HEADER),
      header(request, SIGNATURE_HEADER),
      text,
      config.toleranceSeconds,
    );
    if (signatureProblem) return { status: 401, body: { error: signatureProblem } };
    const batch = parseBatch(request.json());
    if (typeof batch === 'string') return { status: 400, body: { error: batch } };
    const earlier = applied.get(batch.batch_id);
    if (earlier && Date.now() - earlier.at <= config.toleranceSeconds * 1000) {
      replays++;
      return earlier.response;
    }
    const response = apply(batch, text, tools);
    if (response.status === 200) remember(batch.batch_id, response);
    return response;
  };

  const apply = (batch: WebhookBatch, text: string, tools: EmulatorTools): EmulatorResponse => {
    maxBatchRows = Math.max(maxBatchRows, batch.rows.length);
    if (batch.rows.length > config.maxRows) {
      return { status: 413, body: { error: `batch of ${batch.rows.length} rows exceeds ${config.maxRows}` } };
    }
    const verdicts = batch.rows.map((row) => tools.rejection(row.key, row.data));
    const rejected = verdicts.filter((rule) => rule !== undefined).length;
    if (rejected > 0 && config.results === 'never') {
      return { status: 422, body: { error: `${rejected} invalid row(s) in the batch` } };
    }
    const syncRecords = records.get(batch.sync) ?? new Map<string, Record<string, unknown>>();
    records.set(batch.sync, syncRecords);
    batch.rows.forEach((row, index) => {
      if (verdicts[index]) return;
      if (row.op === 'delete') syncRecords.delete(row.key);
      else
        syncRecords.set(
          row.key,
          config.store === 'digest' ? { idempotency_key: row.idempotency_key } : (row.data ?? {}),
        );
    });
    rowsReceived += batch.rows.length;
    rowsRejected += rejected;
    batches.push({
      batch_id: batch.batch_id,
      sync: batch.sync,
      rows: batch.rows.length,
      bytes: text.length,
      rejected,
    });
    if (config.results === 'never' || (config.results === 'on_reject' && rejected === 0)) {
      return { status: 200, body: { ok: true } };
    }
    const results = batch.rows.map((row, index) => {
      const rule = verdicts[index];
      return rule
        ? { key: row.key, ok: false, error: rule.reason ?? `invalid ${rule.field}` }
        : { key: row.key, ok: true };
    });
    return { status: 200, body: { results } };
  };

  return {
    handle,
    state: (query?: URLSearchParams): WebhookEmulatorState => ({
      records:
        query?.get('records') === 'false'
          ? {}
          : Object.fromEntries([...records].map(([sync, rows]) => [sync, Object.fromEntries(rows)])),
      counts: Object.fromEntries([...records].map(([sync, rows]) => [sync, rows.size])),
      batches,
      rowsReceived,
      rowsRejected,
      maxBatchRows,
      replays,
    }),
    reset() {
      records = new Map();
      batches = [];
      rowsReceived = 0;
      rowsRejected = 0;
      maxBatchRows = 0;
      replays = 0;
      applied = new Map();
    },
  };
}

/** The webhook emulator, served by `weft sandbox` and used by the contract suite. */
export const webhookEmulator: EmulatorDefinition<WebhookEmulatorOptions> = {
  name: 'webhook',
  envVar: 'WEFT_SANDBOX_WEBHOOK_URL',
  create: createWebhookEmulator,
  settingsFor: (baseUrl, options) => ({
    type: 'webhook',
    url: `${baseUrl}/hooks/weft`,
    secret: options.secret ?? DEFAULTS.secret,
  }),
};
