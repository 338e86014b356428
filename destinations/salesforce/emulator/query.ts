/** Emulated `GET …/query?q=`: runs the SOQL subset of soql.ts against the record store. */
import type { EmulatorResponse } from '../../../src/sandbox/types.js';
import { apiError } from './collections.js';
import { fieldNamed, objectNamed } from './schema.js';
import { parseSoql } from './soql.js';
import type { RecordStore } from './store.js';

/** Runs a query (every result in one page: `done: true`). */
export function runQuery(soql: string, store: RecordStore): EmulatorResponse {
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
      attributes: { type: object.name, url: `/services/data/v60.0/sobjects/${object.name}/${record.Id}` },
      ...Object.fromEntries(
        parsed.fields.map((name) => {
          const canonical = fieldNamed(object, name)?.name as string;
          return [canonical, record[canonical] ?? null];
        }),
      ),
    }));
  return { status: 200, body: { totalSize: records.length, done: true, records } };
}
