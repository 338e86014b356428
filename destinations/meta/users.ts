/**
 * Adds (`POST /{audience_id}/users`) and removes (`DELETE`) audience members: one request per
 * batch (≤10,000 rows) with the batch's multi-key schema, inside the run's upload session.
 * Meta answers counts (`num_received`, `num_invalid_entries`) and a few `invalid_entry_samples`
 * (value → reason): a row holding a sampled value is rejected with Meta's reason; invalid rows
 * the samples do not name cannot be told apart, so they are accepted and their count is logged.
 */
import { createHmac } from 'node:crypto';
import {
  type DestinationContext,
  DestinationError,
  type DestinationRecord,
  isDestinationError,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { batchSchema, decodeKeys, encodeKeys, type MetaKeys, metaKeys } from './keys.js';
import { acknowledge, sessionFor } from './session.js';
import type { MetaSettings } from './settings.js';

type MetaContext = DestinationContext<MetaSettings>;

/** Meta's answer to an add or remove. */
export interface MetaUsersAnswer {
  audience_id?: string;
  session_id?: number | string;
  num_received?: number;
  num_invalid_entries?: number;
  invalid_entry_samples?: Record<string, string>;
}

/** HMAC-SHA256 of the access token keyed with the app secret, hex (Graph's appsecret_proof). */
export function appsecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

function audienceOf(ctx: MetaContext): string {
  if (!ctx.list)
    throw new DestinationError('config', 'Meta membership sync: set list to the custom audience id');
  return ctx.list;
}

/** The keys to send for a record: from its fields (adds), or those kept when it was added (removals). */
function keysOf(ctx: MetaContext, record: DestinationRecord): MetaKeys {
  if (record.op === 'removed') return decodeKeys(record.destinationId);
  return metaKeys(record.fields, ctx.settings.default_calling_code);
}

function noKeysReason(record: DestinationRecord): string {
  return record.op === 'removed'
    ? 'no Meta identifiers kept for this member (added before weft kept them): cannot remove it'
    : 'no usable identifier: every mapped key (email, phone, names, …) is empty or invalid after normalization';
}

/** The `addMembers` (add) and `removeMembers` primitives. */
export async function changeUsers(
  ctx: MetaContext,
  records: DestinationRecord[],
  add: boolean,
): Promise<RecordResult[]> {
  const audience = audienceOf(ctx);
  const keys = records.map((record) => keysOf(ctx, record));
  const sendable = keys.filter((k) => Object.keys(k).length > 0);
  const results: RecordResult[] = records.map((record, i) =>
    Object.keys(keys[i] as MetaKeys).length === 0
      ? { status: 'rejected', reason: noKeysReason(record) }
      : { status: 'ok' },
  );
  if (sendable.length === 0) return results;
  const schema = batchSchema(sendable);
  const data = sendable.map((row) => schema.map((column) => row[column] ?? ''));
  const sessionKey = [ctx.runId, ctx.syncName, add ? 'add' : 'remove', audience].join('\u0000');
  const session = sessionFor(sessionKey);
  const seq = session.acknowledged + 1;
  const last = ctx.lastBatch ?? true;
  const answer = await send(ctx, audience, add, {
    payload: { schema, data },
    session: {
      session_id: session.id,
      batch_seq: seq,
      last_batch_flag: last,
      estimated_num_total: Math.max(ctx.plannedRecords ?? 0, records.length),
    },
  });
  acknowledge(sessionKey, session, seq, last);
  return settle(ctx, records, keys, results, answer);
}

async function send(
  ctx: MetaContext,
  audience: string,
  add: boolean,
  body: unknown,
): Promise<MetaUsersAnswer> {
  const { settings } = ctx;
  try {
    const response = await ctx.http.send({
      method: add ? 'POST' : 'DELETE',
      path: `/${settings.api_version}/${encodeURIComponent(audience)}/users`,
      query: {
        access_token: settings.access_token,
        appsecret_proof: settings.app_secret && appsecretProof(settings.access_token, settings.app_secret),
      },
      json: body,
      timeoutMs: settings.timeout_ms,
    });
    return response.json<MetaUsersAnswer>() ?? {};
  } catch (error) {
    // A throttle that names no wait: the configured one (Meta's windows are long).
    if (isDestinationError(error) && error.kind === 'rate_limit' && error.retryAfterMs === undefined) {
      throw new DestinationError('rate_limit', error.message, {
        retryAfterMs: settings.throttle_wait_ms,
        ...(error.status !== undefined && { status: error.status }),
        ...(error.code !== undefined && { code: error.code }),
      });
    }
    throw error;
  }
}

/** Rows holding a value Meta sampled as invalid are rejected; the rest keep their identifiers. */
function settle(
  ctx: MetaContext,
  records: DestinationRecord[],
  keys: MetaKeys[],
  results: RecordResult[],
  answer: MetaUsersAnswer,
): RecordResult[] {
  const samples = answer.invalid_entry_samples ?? {};
  let named = 0;
  const settled = results.map((result, i): RecordResult => {
    if (result.status !== 'ok') return result;
    const rowKeys = keys[i] as MetaKeys;
    const invalid = Object.entries(rowKeys).find(([, value]) => samples[value] !== undefined);
    if (invalid) {
      named++;
      return { status: 'rejected', reason: `Meta: invalid ${invalid[0]} entry (${samples[invalid[1]]})` };
    }
    // Kept so that removing this member later sends the same identifiers.
    return (records[i] as DestinationRecord).op === 'removed'
      ? { status: 'ok' }
      : { status: 'ok', destinationId: encodeKeys(rowKeys) };
  });
  const invalidCount = answer.num_invalid_entries ?? 0;
  if (invalidCount > named) {
    ctx.logger.warn('Meta counted invalid entries it did not name; those rows are reported as sent', {
      audience: ctx.list,
      num_received: answer.num_received,
      num_invalid_entries: invalidCount,
      named_in_samples: named,
    });
  }
  return settled;
}
