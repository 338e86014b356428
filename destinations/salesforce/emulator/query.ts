/**
 * Emulated `GET …/query?q=`: runs the SOQL subset of soql.ts against the record store, and pages
 * the result as Salesforce does: at most `batchSize` records (2,000 by default, or the
 * `Sforce-Query-Options: batchSize=N` header, 200–2,000) with `done: false` and a
 * `nextRecordsUrl` (`…/query/{locator}`) that `GET …/query/{locator}` answers with the next page.
 */
import type { EmulatorResponse } from '../../../src/sandbox/types.js';
import { apiError } from './collections.js';
import { fieldNamed, objectNamed } from './schema.js';
import { parseSoql } from './soql.js';
import type { RecordStore } from './store.js';

/** The rest of query results not yet fetched, by query locator. */
export type QueryCursors = Map<string, { records: unknown[]; totalSize: number; batchSize: number }>;

/** How a query is paged. */
export interface QueryPaging {
  /** API version of the request (`v62.0`), for record and next-page URLs. */
  version: string;
  /** Page size (the emulator's default or the request's `Sforce-Query-Options`). */
  batchSize: number;
  cursors: QueryCursors;
}

/** The page size a request asks for with `Sforce-Query-Options: batchSize=N` (200–2,000). */
export function requestedBatchSize(header: string | string[] | undefined, fallback: number): number {
  const text = Array.isArray(header) ? header[0] : header;
  const asked = Number(/batchSize=(\d+)/i.exec(text ?? '')?.[1]);
  return Number.isFinite(asked) && asked > 0 ? Math.min(2_000, Math.max(200, asked)) : fallback;
}

/** One page of `records` from `start`; the rest is kept under a new locator. */
function pageOf(records: unknown[], totalSize: number, start: number, paging: QueryPaging): EmulatorResponse {
  const end = start + paging.batchSize;
  const body: Record<string, unknown> = {
    totalSize,
    done: end >= records.length,
    records: records.slice(start, end),
  };
  if (end < records.length) {
    const locator = `01g${String(paging.cursors.size + 1).padStart(12, '0')}-${end}`;
    paging.cursors.set(locator, { records, totalSize, batchSize: paging.batchSize });
    body.nextRecordsUrl = `/services/data/${paging.version}/query/${locator}`;
  }
  return { status: 200, body };
}

/** `GET …/query/{locator}`: the next page of an earlier query. */
export function queryMore(locator: string, paging: QueryPaging): EmulatorResponse {
  const cursor = paging.cursors.get(locator);
  if (!cursor) return apiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  paging.cursors.delete(locator);
  const start = Number(locator.split('-')[1]);
  return pageOf(cursor.records, cursor.totalSize, start, { ...paging, batchSize: cursor.batchSize });
}

/** Runs a query; the first page of its records. */
export function runQuery(soql: string, store: RecordStore, paging: QueryPaging): EmulatorResponse {
  const parsed = parseSoql(soql);
  if (typeof parsed === 'string') return apiError(400, 'MALFORMED_QUERY', parsed);
  const object = objectNamed(parsed.object);
  if (!object) return apiError(400, 'INVALID_TYPE', `sObject type '${parsed.object}' is not supported.`);
  const names = [...parsed.fields, ...parsed.where.map((w) => w.field)];
  const unknown = names.find((name) => !fieldNamed(object, name));
  if (unknown !== undefined) {
    return apiError(400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${object.name}'.`);
  }
  const conditions = parsed.where.map((w) => ({
    field: fieldNamed(object, w.field)?.name as string,
    values: new Set(w.values),
  }));
  const table = store.records.get(object.name) ?? new Map();
  // An IN list on the external id goes through its index, as Salesforce's indexed lookup does.
  const ext = conditions.find((c) => c.field === 'External_Id__c');
  const candidates = ext
    ? [...ext.values].flatMap((value) => {
        const record = store.findByExternalId(object, 'External_Id__c', value);
        return record ? [record] : [];
      })
    : [...table.values()];
  const records = candidates
    .filter((record) =>
      conditions.every((c) => record[c.field] != null && c.values.has(String(record[c.field]))),
    )
    .map((record) => ({
      attributes: {
        type: object.name,
        url: `/services/data/${paging.version}/sobjects/${object.name}/${record.Id}`,
      },
      ...Object.fromEntries(
        parsed.fields.map((name) => {
          const canonical = fieldNamed(object, name)?.name as string;
          return [canonical, record[canonical] ?? null];
        }),
      ),
    }));
  return pageOf(records, records.length, 0, paging);
}
