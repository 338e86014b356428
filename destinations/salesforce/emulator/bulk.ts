/**
 * Bulk API 2.0 ingest jobs: Open → (one CSV upload) → UploadComplete → InProgress for a few
 * polls → JobComplete (or Failed when the CSV names an unknown field, or when processing is
 * told to stop early), then successfulResults / failedResults / unprocessedrecords as CSV.
 */
import type { EmulatorTools } from '../../../src/sandbox/types.js';
import { parseCsv, toCsv } from '../csv.js';
import { type FieldDef, fieldNamed, type ObjectDef, objectNamed } from './schema.js';
import type { RecordStore } from './store.js';

/** Job states. */
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** One ingest job. */
export interface IngestJob {
  id: string;
  object: string;
  operation: 'insert' | 'upsert' | 'update' | 'delete' | 'hardDelete';
  externalIdFieldName?: string;
  state: JobState;
  /** Status polls since UploadComplete. */
  polls: number;
  header: string[];
  rows: string[][];
  uploads: number;
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  errorMessage?: string;
  createdDate: string;
}

/** Job options. */
export interface BulkOptions {
  /** Polls a job stays InProgress before it completes. */
  processingPolls: number;
  /** Stop processing after this many records (the job ends Failed, the rest unprocessed). */
  failAfterRecords?: number;
  /** Whether the run-as user has the "Bulk API Hard Delete" permission (hardDelete jobs). */
  hardDeleteAllowed: boolean;
}

/** The job as `GET …/jobs/ingest/{id}` shows it. */
export function jobInfo(job: IngestJob, apiVersion: string) {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: '005000000000001AAA',
    createdDate: job.createdDate,
    state: job.state,
    ...(job.externalIdFieldName !== undefined && { externalIdFieldName: job.externalIdFieldName }),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(apiVersion.replace(/^v/, '')),
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: job.successful.length + job.failed.length,
    numberRecordsFailed: job.failed.length,
    ...(job.errorMessage !== undefined && { errorMessage: job.errorMessage }),
  };
}

/** A CSV cell as a field value: '' leaves the field alone (undefined), #N/A clears it. */
function fromCell(field: FieldDef, cell: string): unknown {
  if (cell === '') return undefined;
  if (cell === '#N/A') return null;
  if (field.type === 'boolean') return cell === 'true' ? true : cell === 'false' ? false : cell;
  if (['int', 'double', 'currency', 'percent'].includes(field.type) && Number.isFinite(Number(cell)))
    return Number(cell);
  return cell;
}

/** Sets a job's upload from its CSV body; false when the job takes no (more) data. */
export function upload(job: IngestJob, csv: string): boolean {
  if (job.state !== 'Open' || job.uploads > 0) return false;
  const [header = [], ...rows] = parseCsv(csv);
  job.header = header;
  job.rows = rows;
  job.uploads++;
  return true;
}

/** Counts one status poll; processes the job once it has been InProgress long enough. */
export function poll(job: IngestJob, store: RecordStore, tools: EmulatorTools, options: BulkOptions): void {
  if (job.state !== 'UploadComplete' && job.state !== 'InProgress') return;
  job.polls++;
  job.state = 'InProgress';
  if (job.polls > options.processingPolls) process(job, store, tools, options);
}

function process(job: IngestJob, store: RecordStore, tools: EmulatorTools, options: BulkOptions): void {
  const object = objectNamed(job.object) as ObjectDef;
  const fields = job.header.map((name) =>
    name === 'Id' && job.operation !== 'insert' ? undefined : fieldNamed(object, name),
  );
  const unknown = job.header.find(
    (name, i) => fields[i] === undefined && !(name === 'Id' && job.operation !== 'insert'),
  );
  if (unknown !== undefined) {
    job.state = 'Failed';
    job.errorMessage = `InvalidBatch : Field name not found : ${unknown}`;
    job.unprocessed = job.rows;
    return;
  }
  job.rows.forEach((cells, index) => {
    if (options.failAfterRecords !== undefined && index >= options.failAfterRecords) {
      job.unprocessed.push(cells);
      return;
    }
    const values: Record<string, unknown> = {};
    let id: string | undefined;
    job.header.forEach((_name, i) => {
      const field = fields[i];
      const cell = cells[i] ?? '';
      if (!field) id = cell;
      else {
        const value = fromCell(field, cell);
        if (value !== undefined) values[field.name] = value;
      }
    });
    const result =
      job.operation === 'delete' || job.operation === 'hardDelete'
        ? store.delete(id ?? '', job.operation === 'hardDelete')
        : store.save(object, values, job.operation === 'insert' ? 'create' : job.operation, tools, {
            ...(id !== undefined && { id }),
            ...(job.externalIdFieldName !== undefined && { externalIdField: job.externalIdFieldName }),
          });
    if (result.success) job.successful.push([result.id ?? '', String(result.created ?? false), ...cells]);
    else {
      const error = result.errors.map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',')}`).join(';');
      job.failed.push([id ?? '', `${error} --`, ...cells]);
    }
  });
  const stopped = job.unprocessed.length > 0;
  job.state = stopped ? 'Failed' : 'JobComplete';
  if (stopped) job.errorMessage = 'InternalServerError : processing stopped before the end of the job';
}

/** One of the three result files of a finished job. */
export function resultCsv(
  job: IngestJob,
  kind: 'successfulResults' | 'failedResults' | 'unprocessedrecords',
): string {
  if (kind === 'successfulResults') return toCsv(['sf__Id', 'sf__Created', ...job.header], job.successful);
  if (kind === 'failedResults') return toCsv(['sf__Id', 'sf__Error', ...job.header], job.failed);
  return toCsv(job.header, job.unprocessed);
}
