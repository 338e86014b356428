/**
 * Mailchimp's tag and delete endpoints take one member per request. A primitive call loops over
 * its members one request at a time, so it never holds more than one connection: the runner's
 * concurrency (≤ 10 primitive calls in flight) is then the number of connections weft holds,
 * which is what Mailchimp's 10-connection limit counts. Mailchimp documents no request rate, so
 * the runner pacing primitive calls rather than requests costs nothing here.
 *
 * Per request: 2xx acknowledges the member; 404 (no such member) and 400 are decided by
 * `onMissing`/rejected with Mailchimp's detail; a throttle, 5xx or network failure leaves this
 * and the remaining members retryable (those before stay acknowledged); auth and config stop.
 */
import {
  type DestinationRecord,
  isDestinationError,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { type MailchimpContext, problemText, subscriberHash } from './api.js';

/** One member's request. */
export interface MemberRequest {
  method: 'POST' | 'DELETE';
  /** Path relative to the API root, for this subscriber hash. */
  path(hash: string): string;
  json?: unknown;
  /** The result for a member Mailchimp does not have (404). */
  onMissing(hash: string): RecordResult;
}

/** Sends `request` for each record in turn; one result per record, in order. */
export async function eachMember(
  ctx: MailchimpContext,
  records: DestinationRecord[],
  request: MemberRequest,
): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  for (const [index, record] of records.entries()) {
    const hash = subscriberHash(record);
    if (hash === null) {
      results.push({ status: 'rejected', reason: 'no email address or subscriber hash for this member' });
      continue;
    }
    if (ctx.signal.aborted)
      return fill(results, records.length, { status: 'retryable', reason: 'run stopped' });
    try {
      results.push(await sendOne(ctx, request, hash));
    } catch (error) {
      if (!isDestinationError(error) || !error.isRetryable) throw error;
      const rest: RecordResult = {
        status: 'retryable',
        reason: error.message,
        ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
      };
      return fill(results, records.length, rest, index);
    }
  }
  return results;
}

async function sendOne(ctx: MailchimpContext, request: MemberRequest, hash: string): Promise<RecordResult> {
  const response = await ctx.http.request({
    method: request.method,
    path: request.path(hash),
    ...(request.json !== undefined && { json: request.json }),
    timeoutMs: ctx.settings.timeout_ms,
  });
  if (response.status === 404) return request.onMissing(hash);
  const error = ctx.http.classify(response);
  if (error === undefined) return { status: 'ok', destinationId: hash };
  if (error.kind === 'record')
    return { status: 'rejected', reason: `Mailchimp: ${problemText(response.text)}` };
  throw error;
}

function fill(
  results: RecordResult[],
  length: number,
  rest: RecordResult,
  from = results.length,
): RecordResult[] {
  while (results.length > from) results.pop();
  while (results.length < length) results.push(rest);
  return results;
}
