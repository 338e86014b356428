/**
 * Emulated sObject Collections: upsert by external id, insert, update by id and delete by ids,
 * ≤200 records a call (more: 400 EXCEEDED_ID_LIMIT), allOrNone false, one result per record in
 * request order; an unknown field refuses the whole call (400 INVALID_FIELD).
 */
import type { EmulatorResponse, EmulatorTools } from '../../../src/sandbox/types.js';
import { fieldNamed, type ObjectDef, objectNamed } from './schema.js';
import type { EmulatedResult, RecordStore } from './store.js';

/** One accepted collections call, as kept in the state. */
export interface CollectionWrite {
  op: 'upsert' | 'insert' | 'update' | 'delete';
  object: string;
  records: number;
  /** When it was answered (ms epoch). */
  at: number;
}

/** A whole-call error, as Salesforce answers it. */
export const apiError = (status: number, errorCode: string, message: string): EmulatorResponse => ({
  status,
  body: [{ message, errorCode }],
});

const tooMany = (max: number) =>
  apiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${max} records into this call`,
  );

interface Body {
  allOrNone?: boolean;
  records?: Record<string, unknown>[];
}

/** A record's values with canonical field names, or the first unknown field. */
function canonical(
  object: ObjectDef,
  record: Record<string, unknown>,
  skip: string[],
): { values: Record<string, unknown> } | { unknown: string } {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (skip.includes(name)) continue;
    const field = fieldNamed(object, name);
    if (!field) return { unknown: name };
    values[field.name] = value;
  }
  return { values };
}

/** Handles a collections write; `urlObject`/`externalIdField` only for upsert. */
export function collectionWrite(
  op: 'upsert' | 'insert' | 'update',
  body: unknown,
  store: RecordStore,
  tools: EmulatorTools,
  max: number,
  writes: CollectionWrite[],
  target: { urlObject?: string; externalIdField?: string } = {},
): EmulatorResponse {
  const { allOrNone, records } = (body ?? {}) as Body;
  if (!Array.isArray(records)) return apiError(400, 'JSON_PARSER_ERROR', 'records: expected an array');
  if (records.length > max) return tooMany(max);
  if (allOrNone === true) {
    return apiError(400, 'INVALID_OPERATION', 'the sandbox emulates allOrNone:false only');
  }
  const urlObject = target.urlObject === undefined ? undefined : objectNamed(target.urlObject);
  if (target.urlObject !== undefined && !urlObject) {
    return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  const externalIdField = urlObject && fieldNamed(urlObject, target.externalIdField ?? '');
  if (urlObject && !externalIdField?.externalId) {
    return apiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${target.externalIdField}`,
    );
  }
  const prepared: { object: ObjectDef; values: Record<string, unknown>; id?: string }[] = [];
  for (const record of records) {
    const type = (record.attributes as { type?: string } | undefined)?.type;
    const object = objectNamed(type ?? '');
    if (!object) return apiError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
    if (urlObject && object !== urlObject) {
      return apiError(400, 'INVALID_TYPE', `record type ${type} does not match ${urlObject.name}`);
    }
    const result = canonical(object, record, op === 'update' ? ['attributes', 'id', 'Id'] : ['attributes']);
    if ('unknown' in result) {
      return apiError(
        400,
        'INVALID_FIELD',
        `No such column '${result.unknown}' on sobject of type ${object.name}`,
      );
    }
    const id = record.id ?? record.Id;
    prepared.push({ object, values: result.values, ...(typeof id === 'string' && { id }) });
  }
  const results: EmulatedResult[] = prepared.map(({ object, values, id }) =>
    store.save(object, values, op === 'insert' ? 'create' : op, tools, {
      ...(id !== undefined && { id }),
      ...(externalIdField && { externalIdField: externalIdField.name }),
    }),
  );
  writes.push({
    op,
    object: urlObject?.name ?? prepared[0]?.object.name ?? '',
    records: records.length,
    at: Date.now(),
  });
  return { status: 200, body: results };
}

/** Handles `DELETE …/composite/sobjects?ids=…`. */
export function collectionDelete(
  query: URLSearchParams,
  store: RecordStore,
  max: number,
  writes: CollectionWrite[],
): EmulatorResponse {
  const ids = (query.get('ids') ?? '').split(',').filter((id) => id !== '');
  if (ids.length === 0) return apiError(400, 'MISSING_ARGUMENT', 'ids: no ids given');
  if (ids.length > max) return tooMany(max);
  if (query.get('allOrNone') === 'true') {
    return apiError(400, 'INVALID_OPERATION', 'the sandbox emulates allOrNone:false only');
  }
  const object = store.find(ids[0] as string)?.object ?? '';
  const results = ids.map((id) => store.delete(id));
  writes.push({ op: 'delete', object, records: ids.length, at: Date.now() });
  return { status: 200, body: results };
}
