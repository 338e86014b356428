/**
 * Erasure with Bulk API 2.0 `hardDelete` (connection setting `hard_delete: true`): the records
 * skip the recycle bin and are gone at once. It needs the run-as user's "Bulk API Hard Delete"
 * permission; without it (FEATURENOTENABLED or an InvalidJob naming hard delete) weft falls back
 * to the ordinary delete, logging why. Each erased record's response id is the job's id.
 */
import {
  DestinationError,
  type DestinationRecord,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { dataPath, type SalesforceContext, sfJson, sfSend, sObjectOf } from './api.js';
import { waitForJob } from './bulk.js';
import { idsFor } from './collections.js';
import { parseCsvRecords, toCsv } from './csv.js';
import { deleteIds } from './remove.js';

/** Hard-deletes `records` by Salesforce id; falls back to deleteIds when the org refuses hardDelete. */
export async function hardDeleteRecords(
  ctx: SalesforceContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const ids = await idsFor(ctx, records);
  const present = [...new Set(ids.filter((id): id is string => id !== undefined))];
  if (present.length === 0) return ids.map(() => ({ status: 'ok' }));
  const jobs = dataPath(ctx, '/jobs/ingest');
  let job: { id: string };
  try {
    job = await sfJson<{ id: string }>(ctx, {
      method: 'POST',
      path: jobs,
      json: { object: sObjectOf(ctx), operation: 'hardDelete', contentType: 'CSV', lineEnding: 'LF' },
    });
  } catch (error) {
    if (!(error instanceof DestinationError) || !/FEATURENOTENABLED|hard ?delete/i.test(error.message))
      throw error;
    ctx.logger.warn('salesforce hard delete not allowed for this user: deleting to the recycle bin instead', {
      reason: error.message.slice(0, 200),
    });
    return deleteIds(ctx, ids);
  }
  ctx.logger.info('salesforce bulk job', { job: job.id, operation: 'hardDelete', records: present.length });
  await sfSend(ctx, {
    method: 'PUT',
    path: `${jobs}/${job.id}/batches`,
    body: toCsv(
      ['Id'],
      present.map((id) => [id]),
    ),
    headers: { 'content-type': 'text/csv' },
  });
  await sfJson(ctx, { method: 'PATCH', path: `${jobs}/${job.id}`, json: { state: 'UploadComplete' } });
  await waitForJob(ctx, `${jobs}/${job.id}`);
  const read = async (name: string) =>
    parseCsvRecords(
      (await sfSend(ctx, { path: `${jobs}/${job.id}/${name}`, headers: { accept: 'text/csv' } })).text,
    ).records;
  const byId = new Map<string, RecordResult>();
  for (const row of await read('successfulResults'))
    byId.set(row.Id ?? row.sf__Id ?? '', { status: 'ok', destinationId: job.id });
  for (const row of await read('failedResults')) {
    const reason = (row.sf__Error ?? 'failed without sf__Error').replace(/\s*--\s*$/, '');
    // Already deleted (or purged) is done; anything else is retried on the next pass.
    byId.set(
      row.Id ?? '',
      /ENTITY_IS_DELETED|INVALID_CROSS_REFERENCE_KEY/.test(reason)
        ? { status: 'ok', destinationId: job.id }
        : { status: 'retryable', reason, retryAfterMs: 1000 },
    );
  }
  return ids.map((id) =>
    id === undefined
      ? { status: 'ok' }
      : (byId.get(id) ?? {
          status: 'retryable',
          reason: 'not in the hardDelete job results',
          retryAfterMs: 1000,
        }),
  );
}
