/**
 * Membership through offline user data jobs, one job per batch (≤10,000 members): create the job
 * for the list with the connection's consent, add the operations in requests of at most
 * `identifiers_per_request` identifiers with partial failure on, run it, and poll it until
 * SUCCESS or FAILED. A batch per job is the honest fit for a runner that calls a primitive per
 * batch: a job per run would have to stay open across calls and acknowledge rows only at the end.
 * Jobs on one list cannot run at once (CONCURRENT_MODIFICATION, retried), so a connection runs
 * one batch at a time.
 */
import {
  type DestinationContext,
  DestinationError,
  type DestinationRecord,
  isDestinationError,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { adsErrors, errorCodeText, type GoogleStatus } from './errors.js';
import { decodeIdentifiers, encodeIdentifiers, type UserIdentifier, userIdentifiers } from './identifiers.js';
import type { GoogleAdsSettings } from './settings.js';

type AdsContext = DestinationContext<GoogleAdsSettings>;

/** A job's state as the search answers it. */
interface JobRow {
  status?: 'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED' | string;
  failureReason?: string;
}

function userListOf(ctx: AdsContext): string {
  if (!ctx.list)
    throw new DestinationError('config', 'Google Ads membership sync: set list to the user list id');
  if (ctx.list.startsWith('customers/')) return ctx.list;
  return `customers/${ctx.settings.customer_id}/userLists/${ctx.list}`;
}

const base = (ctx: AdsContext) => `/${ctx.settings.api_version}`;

function post<T>(ctx: AdsContext, path: string, json: unknown): Promise<T | undefined> {
  return ctx.http.json<T>({
    method: 'POST',
    path: `${base(ctx)}/${path}`,
    json,
    timeoutMs: ctx.settings.timeout_ms,
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Record indices in requests of at most `limit` identifiers (a person is never split). */
function chunks(indices: number[], identifiers: UserIdentifier[][], limit: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let size = 0;
  for (const index of indices) {
    const count = (identifiers[index] as UserIdentifier[]).length;
    if (current.length > 0 && size + count > limit) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(index);
    size += count;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Polls the job until it ends: undefined on SUCCESS, or why its members must be retried. */
async function waitForJob(ctx: AdsContext, job: string): Promise<string | undefined> {
  const started = Date.now();
  const query = `SELECT offline_user_data_job.resource_name, offline_user_data_job.status, offline_user_data_job.failure_reason FROM offline_user_data_job WHERE offline_user_data_job.resource_name = '${job}'`;
  for (;;) {
    let answer: { results?: Array<{ offlineUserDataJob?: JobRow }> } | undefined;
    try {
      answer = await post(ctx, `customers/${ctx.settings.customer_id}/googleAds:search`, { query });
    } catch (error) {
      // The job runs whatever happens to a status read: failing the batch here would start a
      // second job on the list. Wait (for the retryDelay Google names) and read again.
      if (
        !isDestinationError(error) ||
        !error.isRetryable ||
        Date.now() - started >= ctx.settings.job_timeout_ms
      )
        throw error;
      await pause(error.retryAfterMs ?? ctx.settings.poll_interval_ms, ctx.signal);
      continue;
    }
    const row = answer?.results?.[0]?.offlineUserDataJob;
    if (row?.status === 'SUCCESS') return undefined;
    if (row?.status === 'FAILED')
      return `Google Ads job ${job} FAILED (${row.failureReason ?? 'no reason given'})`;
    if (Date.now() - started >= ctx.settings.job_timeout_ms)
      return `Google Ads job ${job} still ${row?.status ?? 'unknown'} after ${ctx.settings.job_timeout_ms} ms`;
    await pause(ctx.settings.poll_interval_ms, ctx.signal);
  }
}

/** The `addMembers` (add) and `removeMembers` primitives. */
export async function changeMembers(
  ctx: AdsContext,
  records: DestinationRecord[],
  add: boolean,
): Promise<RecordResult[]> {
  const userList = userListOf(ctx);
  const identifiers = records.map((record) =>
    record.op === 'removed'
      ? decodeIdentifiers(record.destinationId)
      : userIdentifiers(record.fields, ctx.settings.default_calling_code),
  );
  const results: Array<RecordResult | undefined> = records.map((record, i) => {
    if ((identifiers[i] as UserIdentifier[]).length > 0) return undefined;
    return {
      status: 'rejected',
      reason:
        record.op === 'removed'
          ? 'no Google Ads identifiers kept for this member (added before weft kept them): cannot remove it'
          : 'no usable identifier: email, phone and name+country+zip are empty or invalid after normalization',
    };
  });
  const sendable = records.flatMap((_, i) => (results[i] ? [] : [i]));
  if (sendable.length === 0) return results as RecordResult[];

  const { settings } = ctx;
  const created = await post<{ resourceName?: string }>(
    ctx,
    `customers/${settings.customer_id}/offlineUserDataJobs:create`,
    {
      job: {
        type: 'CUSTOMER_MATCH_USER_LIST',
        customerMatchUserListMetadata: {
          userList,
          consent: { adUserData: settings.ad_user_data, adPersonalization: settings.ad_personalization },
        },
      },
    },
  );
  const job = created?.resourceName;
  if (!job) throw new DestinationError('retryable', 'Google Ads created a job without a resourceName');
  for (const chunk of chunks(sendable, identifiers, settings.identifiers_per_request)) {
    const operations = chunk.map((i) => ({
      [add ? 'create' : 'remove']: { userIdentifiers: identifiers[i] },
    }));
    const answer = await post<{ partialFailureError?: GoogleStatus }>(ctx, `${job}:addOperations`, {
      enablePartialFailure: true,
      operations,
    });
    for (const error of adsErrors(answer?.partialFailureError)) {
      const at = error.location?.fieldPathElements?.find((e) => e.fieldName === 'operations')?.index;
      const record = at === undefined ? undefined : chunk[at];
      if (record === undefined) {
        ctx.logger.warn('Google Ads partial failure without an operation index', {
          error: errorCodeText(error),
        });
        continue;
      }
      results[record] ??= {
        status: 'rejected',
        reason: `Google Ads: ${errorCodeText(error)}: ${error.message ?? ''}`.trim(),
      };
    }
  }
  const accepted = sendable.filter((i) => results[i] === undefined);
  // A job with nothing valid is never run (Google drops jobs that are not run).
  if (accepted.length > 0) {
    await post(ctx, `${job}:run`, {});
    const failure = await waitForJob(ctx, job);
    for (const i of accepted)
      results[i] = failure
        ? { status: 'retryable', reason: failure }
        : add
          ? { status: 'ok', destinationId: encodeIdentifiers(identifiers[i] as UserIdentifier[]) }
          : { status: 'ok' };
  }
  return results as RecordResult[];
}
