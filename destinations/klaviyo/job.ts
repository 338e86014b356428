/**
 * Bulk profile import jobs: `POST /api/profile-bulk-import-jobs` (≤10,000 profiles, ≤5 MB; with
 * a list relationship the profiles are also added to that list), then the job is polled
 * (`queued` → `processing` → `complete`) and, when it reports `failed_count`, its
 * `…/import-errors` are read and tied back to rows by the identifiers in each error's
 * `original_payload` (email, phone_number, external_id), else by the profile index in
 * `source.pointer`. Those rows are rejected with Klaviyo's code and detail; the others are
 * acknowledged once the job is complete. Errors Klaviyo counts but does not name leave the
 * unnamed rows retryable rather than claiming they arrived.
 */
import {
  DestinationError,
  type DestinationRecord,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import {
  IDENTIFIERS,
  type JsonApiError,
  type KlaviyoContext,
  normalizeIdentifier,
  profileAttributes,
} from './api.js';
import { patientGet, pause } from './patience.js';

/** The attributes of a job resource. */
interface JobAttributes {
  status?: 'queued' | 'processing' | 'complete' | 'cancelled';
  total_count?: number;
  completed_count?: number | null;
  failed_count?: number | null;
}

interface JobDocument {
  data?: { id?: string; attributes?: JobAttributes };
}

interface ImportError extends JsonApiError {
  original_payload?: Record<string, unknown> | null;
}

interface ErrorPage {
  data?: Array<{ id?: string; attributes?: ImportError }>;
  links?: { next?: string | null };
}

const JOBS = 'api/profile-bulk-import-jobs';

/** Imports the records' profiles in one job (adding them to `listId` when given); one result per record. */
export async function importProfiles(
  ctx: KlaviyoContext,
  records: DestinationRecord[],
  listId?: string,
): Promise<RecordResult[]> {
  const prepared = records.map((record) => profileAttributes(ctx, record));
  const results: Array<RecordResult | undefined> = prepared.map((p) =>
    'reason' in p ? { status: 'rejected', reason: p.reason } : undefined,
  );
  const sent = prepared.flatMap((p, index) =>
    'attributes' in p ? [{ index, attributes: p.attributes }] : [],
  );
  if (sent.length === 0) return results as RecordResult[];
  const deadline = Date.now() + ctx.settings.job_timeout_ms;
  const id = await createJob(
    ctx,
    sent.map((s) => s.attributes),
    listId,
  );
  const job = await waitForJob(ctx, id, deadline);
  const failed = job.failed_count ?? 0;
  let unnamed = 0;
  if (failed > 0) {
    const errors = await importErrors(ctx, id, deadline);
    unnamed = Math.max(0, failed - errors.length);
    for (const error of errors) {
      const rows = rowsOf(ctx, error, sent);
      if (rows.length === 0) unnamed++;
      const reason =
        [error.code, error.detail ?? error.title].filter(Boolean).join(': ') || 'rejected by Klaviyo';
      for (const row of rows) results[row] = { status: 'rejected', reason };
    }
  }
  return results.map(
    (result): RecordResult =>
      result ??
      (unnamed > 0
        ? {
            status: 'retryable',
            reason: `Klaviyo import job ${id} reported ${unnamed} failed profiles it did not name`,
          }
        : { status: 'ok' }),
  );
}

async function createJob(ctx: KlaviyoContext, profiles: Array<Record<string, unknown>>, listId?: string) {
  const document = await ctx.http.json<JobDocument>({
    method: 'POST',
    path: JOBS,
    json: {
      data: {
        type: 'profile-bulk-import-job',
        attributes: { profiles: { data: profiles.map((attributes) => ({ type: 'profile', attributes })) } },
        ...(listId !== undefined && { relationships: { lists: { data: [{ type: 'list', id: listId }] } } }),
      },
    },
    timeoutMs: ctx.settings.timeout_ms,
  });
  const id = document?.data?.id;
  if (!id)
    throw new DestinationError('retryable', 'Klaviyo accepted the import job without returning its id');
  return id;
}

async function waitForJob(ctx: KlaviyoContext, id: string, deadline: number): Promise<JobAttributes> {
  for (;;) {
    await pause(ctx, ctx.settings.poll_interval_ms);
    const response = await patientGet(ctx, { path: `${JOBS}/${id}` }, deadline, `import job ${id}`);
    const job = response.json<JobDocument>()?.data?.attributes ?? {};
    if (job.status === 'complete') return job;
    if (job.status === 'cancelled')
      throw new DestinationError('retryable', `Klaviyo cancelled import job ${id}`);
    if (Date.now() + ctx.settings.poll_interval_ms > deadline) {
      throw new DestinationError(
        'retryable',
        `Klaviyo import job ${id} still ${job.status ?? 'unknown'} after ${ctx.settings.job_timeout_ms} ms (its rows are retried)`,
      );
    }
  }
}

/** Every import error of the job, following `links.next`. */
async function importErrors(ctx: KlaviyoContext, id: string, deadline: number): Promise<ImportError[]> {
  const errors: ImportError[] = [];
  let next: string | undefined = `${JOBS}/${id}/import-errors?page[size]=100`;
  while (next) {
    const response = await patientGet(ctx, { path: next }, deadline, `import errors of job ${id}`);
    const page = response.json<ErrorPage>() ?? {};
    for (const item of page.data ?? []) if (item.attributes) errors.push(item.attributes);
    next = page.links?.next ?? undefined;
  }
  return errors;
}

/** Rows an import error is about: by an identifier in its original payload, else by its pointer. */
function rowsOf(
  ctx: KlaviyoContext,
  error: ImportError,
  sent: Array<{ index: number; attributes: Record<string, unknown> }>,
): number[] {
  const payload = error.original_payload ?? {};
  for (const kind of IDENTIFIERS) {
    const value = normalizeIdentifier(ctx, kind, payload[kind]) ?? (payload[kind] as string | undefined);
    if (!value) continue;
    const rows = sent.filter((s) => s.attributes[kind] === value).map((s) => s.index);
    if (rows.length > 0) return rows;
  }
  const position = /\/profiles\/data\/(\d+)/.exec(error.source?.pointer ?? '')?.[1];
  const row = position === undefined ? undefined : sent[Number(position)];
  return row ? [row.index] : [];
}
