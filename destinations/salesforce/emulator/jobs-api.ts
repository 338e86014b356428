/**
 * Emulated Bulk API 2.0 ingest endpoints (`…/jobs/ingest[/{id}[/batches|/successfulResults|…]]`)
 * over the job state machine of bulk.ts.
 */
import type { EmulatorRequest, EmulatorResponse, EmulatorTools } from '../../../src/sandbox/types.js';
import { type BulkOptions, type IngestJob, jobInfo, poll, resultCsv, upload } from './bulk.js';
import { apiError } from './collections.js';
import { objectNamed } from './schema.js';
import type { RecordStore } from './store.js';

/** The org's ingest jobs. */
export class IngestJobs {
  readonly jobs = new Map<string, IngestJob>();
  private counter = 0;

  constructor(private readonly options: BulkOptions) {}

  /** Handles a request; `parts` is the path after /jobs/ingest; `count` tallies endpoints. */
  handle(
    request: EmulatorRequest,
    parts: string[],
    version: string,
    store: RecordStore,
    tools: EmulatorTools,
    count: (endpoint: string) => void,
  ): EmulatorResponse {
    const { method } = request;
    if (parts.length === 0 && method === 'POST') {
      count('bulk:create');
      const body = (request.json() ?? {}) as Partial<IngestJob> & { contentType?: string };
      const object = objectNamed(body.object ?? '');
      if (!object) return apiError(400, 'INVALIDJOB', `InvalidJob : Invalid object: ${body.object}`);
      if (!['insert', 'upsert', 'update', 'delete', 'hardDelete'].includes(body.operation ?? '')) {
        return apiError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${body.operation}`);
      }
      if (body.operation === 'hardDelete' && !this.options.hardDeleteAllowed) {
        return apiError(
          400,
          'FEATURENOTENABLED',
          'FeatureNotEnabled : The user does not have the "Bulk API Hard Delete" permission',
        );
      }
      if (body.operation === 'upsert' && !body.externalIdFieldName) {
        return apiError(
          400,
          'INVALIDJOB',
          'InvalidJob : External ID was blank for Contact. An External ID must be specified for upsert.',
        );
      }
      this.counter++;
      const job: IngestJob = {
        id: `750${this.counter.toString(36).toUpperCase().padStart(12, '0')}AAA`,
        object: object.name,
        operation: body.operation as IngestJob['operation'],
        ...(body.externalIdFieldName !== undefined && { externalIdFieldName: body.externalIdFieldName }),
        state: 'Open',
        polls: 0,
        header: [],
        rows: [],
        uploads: 0,
        successful: [],
        failed: [],
        unprocessed: [],
        createdDate: new Date().toISOString(),
      };
      this.jobs.set(job.id, job);
      return { status: 200, body: jobInfo(job, version) };
    }
    const job = this.jobs.get(parts[0] ?? '');
    if (!job) return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (parts[1] === 'batches' && method === 'PUT') {
      count('bulk:upload');
      return upload(job, request.text())
        ? { status: 201 }
        : apiError(
            409,
            'INVALIDJOBSTATE',
            `Job ${job.id} is ${job.state}: data can only be uploaded once, while Open`,
          );
    }
    if (parts.length === 1 && method === 'PATCH') {
      count('bulk:close');
      const state = (request.json() as { state?: string } | undefined)?.state;
      if (state === 'UploadComplete' && job.state === 'Open') job.state = 'UploadComplete';
      else if (state === 'Aborted' && ['Open', 'UploadComplete', 'InProgress'].includes(job.state))
        job.state = 'Aborted';
      else
        return apiError(
          400,
          'INVALIDJOBSTATE',
          `Cannot change the state of job ${job.id} from ${job.state} to ${state}`,
        );
      return { status: 200, body: jobInfo(job, version) };
    }
    if (parts.length === 1 && method === 'GET') {
      count('bulk:poll');
      poll(job, store, tools, this.options);
      return { status: 200, body: jobInfo(job, version) };
    }
    const kind = parts[1];
    if (
      parts.length === 2 &&
      method === 'GET' &&
      (kind === 'successfulResults' || kind === 'failedResults' || kind === 'unprocessedrecords')
    ) {
      count('bulk:results');
      if (!['JobComplete', 'Failed', 'Aborted'].includes(job.state)) {
        return apiError(
          400,
          'INVALIDJOBSTATE',
          `Job ${job.id} is ${job.state}: results are available once it ends`,
        );
      }
      return { status: 200, headers: { 'content-type': 'text/csv' }, body: resultCsv(job, kind) };
    }
    return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  /** Jobs as shown in the emulator's state. */
  summary() {
    return [...this.jobs.values()].map((job) => ({
      id: job.id,
      object: job.object,
      operation: job.operation,
      state: job.state,
      polls: job.polls,
      records: job.rows.length,
      failed: job.failed.length,
      unprocessed: job.unprocessed.length,
    }));
  }
}
