/**
 * sObject Collections writes (≤200 records a call, allOrNone false, one result per record in
 * request order): upsert by external id, insert, and update by record id.
 */
import type { DestinationRecord, RecordResult } from '../../src/destination-kit/index.js';
import { dataPath, externalIdOf, type SalesforceContext, sfJson, sObjectOf } from './api.js';
import { type RecordError, recordFailure } from './errors.js';
import { idsByExternalId } from './lookup.js';

/** sObject Collections' per-record answer. */
export interface SaveResult {
  id?: string;
  success: boolean;
  errors?: RecordError[];
  created?: boolean;
}

/** The most records one collections call takes. */
export const COLLECTION_LIMIT = 200;

/** A record's body: its fields, with the external id field set from the sync key unless mapped. */
function body(ctx: SalesforceContext, record: DestinationRecord, extra: Record<string, unknown> = {}) {
  const externalId = externalIdOf(ctx);
  return {
    attributes: { type: sObjectOf(ctx) },
    [externalId]: record.key,
    ...record.fields,
    ...extra,
  };
}

/** Maps collections results (request order) to record results. */
export function toResults(results: SaveResult[] | undefined, count: number): RecordResult[] {
  return Array.from({ length: count }, (_, i): RecordResult => {
    const result = results?.[i];
    if (!result) return { status: 'retryable', reason: 'Salesforce returned no result for this record' };
    if (result.success) return result.id ? { status: 'ok', destinationId: result.id } : { status: 'ok' };
    return recordFailure(result.errors);
  });
}

/** Upsert by external id: `PATCH …/composite/sobjects/{SObject}/{ExternalIdField}`. */
export async function upsertCollection(
  ctx: SalesforceContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const path = dataPath(ctx, `/composite/sobjects/${sObjectOf(ctx)}/${externalIdOf(ctx)}`);
  const results = await sfJson<SaveResult[]>(ctx, {
    method: 'PATCH',
    path,
    json: { allOrNone: false, records: records.map((r) => body(ctx, r)) },
  });
  return toResults(results, records.length);
}

/** Insert: `POST …/composite/sobjects`. */
export async function insertCollection(
  ctx: SalesforceContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const results = await sfJson<SaveResult[]>(ctx, {
    method: 'POST',
    path: dataPath(ctx, '/composite/sobjects'),
    json: { allOrNone: false, records: records.map((r) => body(ctx, r)) },
  });
  return toResults(results, records.length);
}

/**
 * Update only (never creates): `PATCH …/composite/sobjects` by record id. Ids come from the
 * snapshot (an earlier acknowledgement) or a lookup by external id; a record Salesforce does not
 * have is rejected.
 */
export async function updateCollection(
  ctx: SalesforceContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const ids = await idsFor(ctx, records);
  const known = records.map((record, i) => ({ record, id: ids[i] })).filter((r) => r.id !== undefined);
  const results: RecordResult[] = records.map((r, i) =>
    ids[i] === undefined
      ? {
          status: 'rejected',
          reason: `no ${sObjectOf(ctx)} with ${externalIdOf(ctx)} = '${r.key}' (update mode never creates)`,
        }
      : { status: 'ok' },
  );
  if (known.length === 0) return results;
  const answer = await sfJson<SaveResult[]>(ctx, {
    method: 'PATCH',
    path: dataPath(ctx, '/composite/sobjects'),
    json: { allOrNone: false, records: known.map(({ record, id }) => body(ctx, record, { id })) },
  });
  const mapped = toResults(answer, known.length);
  let k = 0;
  ids.forEach((id, i) => {
    if (id !== undefined) results[i] = mapped[k++] as RecordResult;
  });
  return results;
}

/** Each record's Salesforce id: its destinationId, else looked up by external id (undefined: none). */
export async function idsFor(
  ctx: SalesforceContext,
  records: DestinationRecord[],
): Promise<(string | undefined)[]> {
  const missing = records.filter((r) => !r.destinationId).map((r) => r.key);
  const found =
    missing.length > 0 ? await idsByExternalId(ctx, sObjectOf(ctx), externalIdOf(ctx), missing) : new Map();
  return records.map((r) => r.destinationId ?? found.get(r.key));
}
