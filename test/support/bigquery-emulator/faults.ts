/** Failures the local BigQuery endpoint can be told to inject, for tests of the client's retries and polling. */

/** The API methods the endpoint serves. */
export type ApiName =
  | 'token'
  | 'jobs.insert'
  | 'jobs.get'
  | 'jobs.getQueryResults'
  | 'jobs.cancel'
  | 'jobs.upload'
  | 'datasets.get'
  | 'datasets.insert';

/** A fault to inject. */
export type BigQueryFault =
  /** An HTTP error with Google's body: 500/503 backendError, or 403/429 rateLimitExceeded (the client retries all of these). */
  | { kind: 'error'; status: 500 | 503; api?: ApiName; times?: number }
  | { kind: 'rateLimit'; status?: 403 | 429; api?: ApiName; times?: number }
  /** 403 accessDenied: the account lacks bigquery.jobs.create (not retried). */
  | { kind: 'accessDenied'; api?: ApiName; times?: number }
  /** The next query job stays RUNNING this long: the client has to poll. */
  | { kind: 'slowJob'; runningMs: number };

/** Pending error faults; each is consumed by the requests it matches. */
export class FaultQueue {
  private readonly pending: { fault: Exclude<BigQueryFault, { kind: 'slowJob' }>; left: number }[] = [];

  add(fault: Exclude<BigQueryFault, { kind: 'slowJob' }>): void {
    this.pending.push({ fault, left: fault.times ?? 1 });
  }

  /** The fault for this request, if any (one use of it is consumed). */
  take(api: ApiName): Exclude<BigQueryFault, { kind: 'slowJob' }> | undefined {
    const entry = this.pending.find(
      (p) => p.left > 0 && (p.fault.api === undefined ? api !== 'token' : p.fault.api === api),
    );
    if (!entry) return undefined;
    entry.left -= 1;
    return entry.fault;
  }
}
