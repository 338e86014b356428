/**
 * Deletes through `DELETE …/composite/sobjects?ids=…&allOrNone=false` (≤200 ids, one result per
 * id in order). Ids come from the snapshot (destinationId) or a lookup by external id; a record
 * Salesforce no longer has counts as deleted.
 */
import type { DestinationRecord, RecordResult } from '../../src/destination-kit/index.js';
import { dataPath, type SalesforceContext, sfJson } from './api.js';
import { idsFor, type SaveResult, toResults } from './collections.js';

/** Deletes records by id; `ids[i]` undefined means the record is already gone (ok). */
export async function deleteIds(
  ctx: SalesforceContext,
  ids: (string | undefined)[],
): Promise<RecordResult[]> {
  const present = ids.filter((id): id is string => id !== undefined);
  const results: RecordResult[] = ids.map(() => ({ status: 'ok' }));
  if (present.length === 0) return results;
  const answer = await sfJson<SaveResult[]>(ctx, {
    method: 'DELETE',
    path: dataPath(ctx, '/composite/sobjects'),
    query: { ids: present.join(','), allOrNone: 'false' },
  });
  // Deleting what is already deleted is done, not an error.
  const settled = (answer ?? []).map((r) =>
    r.errors?.some((e) => e.statusCode === 'ENTITY_IS_DELETED') ? { ...r, success: true } : r,
  );
  const mapped = toResults(settled, present.length);
  let k = 0;
  ids.forEach((id, i) => {
    if (id !== undefined) {
      const result = mapped[k++] as RecordResult;
      results[i] = result.status === 'ok' ? { status: 'ok' } : result;
    }
  });
  return results;
}

/** The remove primitive (mirror mode). */
export async function removeRecords(
  ctx: SalesforceContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  return deleteIds(ctx, await idsFor(ctx, records));
}
