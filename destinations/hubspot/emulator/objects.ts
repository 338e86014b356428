/**
 * The emulator's object endpoints: `batch/upsert`, `batch/update`, `batch/read`,
 * `batch/archive` and `gdpr-delete`, with HubSpot's per-record validation and 207 answers.
 */
import type { EmulatorResponse, EmulatorTools } from '../../../src/sandbox/types.js';
import { type BatchErrorEntry, batchAnswer, errorAnswer, recordAnswer } from './answers.js';
import { validateProperties } from './schema.js';
import { type HubspotStore, type ObjectStore, storedValues } from './store.js';

/** One batch input (the union of what the batch endpoints take). */
interface Input {
  id?: unknown;
  idProperty?: string;
  properties?: Record<string, unknown>;
  objectWriteTraceId?: string;
}

/** Settings the object endpoints need. */
export interface ObjectEndpointOptions {
  validateEmails: boolean;
}

function inputError(input: Input, category: string, message: string): BatchErrorEntry {
  const context: Record<string, string[]> = { ids: [String(input.id)] };
  if (input.objectWriteTraceId !== undefined) context.objectWriteTraceId = [input.objectWriteTraceId];
  return { status: 'error', category, message, context };
}

function checkIdProperty(object: ObjectStore, idProperty: string | undefined): EmulatorResponse | undefined {
  if (idProperty === undefined || idProperty === 'hs_object_id') return undefined;
  const property = object.schema.find((p) => p.name === idProperty);
  if (!property) return errorAnswer(400, 'VALIDATION_ERROR', `Property "${idProperty}" does not exist`);
  if (!property.hasUniqueValue)
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      `Property "${idProperty}" is not a unique identifier property`,
    );
  return undefined;
}

/** batch/upsert (create missing) or batch/update (existing only). */
export function writeRecords(
  store: HubspotStore,
  object: ObjectStore,
  inputs: Input[],
  create: boolean,
  tools: EmulatorTools,
  options: ObjectEndpointOptions,
): EmulatorResponse {
  const ids = inputs.map((input) => `${input.idProperty ?? ''}:${String(input.id).toLowerCase()}`);
  if (new Set(ids).size !== ids.length)
    return errorAnswer(400, 'VALIDATION_ERROR', 'Duplicate IDs found in batch input.');
  for (const input of inputs) {
    if (input.id === undefined || input.id === null || typeof input.properties !== 'object') {
      return errorAnswer(400, 'VALIDATION_ERROR', 'Invalid input JSON: every input needs id and properties');
    }
    if (create && !input.idProperty)
      return errorAnswer(400, 'VALIDATION_ERROR', 'idProperty is required for upsert');
    const bad = checkIdProperty(object, input.idProperty);
    if (bad) return bad;
  }
  const results: unknown[] = [];
  const errors: BatchErrorEntry[] = [];
  for (const input of inputs) {
    const id = String(input.id);
    const properties = { ...(input.properties ?? {}) };
    if (create && input.idProperty && properties[input.idProperty] === undefined)
      properties[input.idProperty] = id;
    const problems = validateProperties(object.schema, properties, options.validateEmails);
    const idProblem =
      input.idProperty === 'email' && options.validateEmails
        ? validateProperties(object.schema, { email: id }, true)
        : [];
    const all = [...problems, ...idProblem];
    if (all.length > 0) {
      errors.push(
        inputError(input, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(all)}`),
      );
      continue;
    }
    const rule = tools.rejection(id, properties);
    if (rule) {
      errors.push(
        inputError(input, 'VALIDATION_ERROR', rule.reason ?? `Property values were not valid: ${rule.field}`),
      );
      continue;
    }
    const existing = store.find(object, id, input.idProperty);
    if (!existing && !create) {
      errors.push(
        inputError(input, 'OBJECT_NOT_FOUND', `Could not find object with ${input.idProperty ?? 'id'} ${id}`),
      );
      continue;
    }
    const values = storedValues(properties);
    const record = existing ?? store.create(object, values);
    if (existing) store.update(object, existing, values);
    const extra: Record<string, unknown> = { new: !existing };
    if (input.objectWriteTraceId !== undefined) extra.objectWriteTraceId = input.objectWriteTraceId;
    results.push(recordAnswer(record, Object.keys(properties), extra));
  }
  return batchAnswer(results, errors);
}

/** batch/read: found records, and one OBJECT_NOT_FOUND error naming the missing ids. */
export function readRecords(
  object: ObjectStore,
  store: HubspotStore,
  body: { idProperty?: string; properties?: string[]; inputs: Input[] },
): EmulatorResponse {
  const bad = checkIdProperty(object, body.idProperty);
  if (bad) return bad;
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const input of body.inputs) {
    const record = store.find(object, String(input.id), body.idProperty);
    if (record) results.push(recordAnswer(record, body.properties ?? []));
    else missing.push(String(input.id));
  }
  const errors: BatchErrorEntry[] =
    missing.length > 0
      ? [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: `Could not get some ${object.name} objects, they may be deleted or not exist. Check that ids are valid.`,
            context: { ids: missing },
          },
        ]
      : [];
  return batchAnswer(results, errors);
}

/** batch/archive by record id: 204, ids it does not have included. */
export function archiveRecords(object: ObjectStore, store: HubspotStore, inputs: Input[]): EmulatorResponse {
  for (const input of inputs) store.remove(object, String(input.id));
  return { status: 204 };
}

/** gdpr-delete of one contact (by id, or by `idProperty`). */
export function gdprDelete(
  object: ObjectStore,
  store: HubspotStore,
  body: { objectId?: unknown; idProperty?: string },
): EmulatorResponse {
  if (body.objectId === undefined) return errorAnswer(400, 'VALIDATION_ERROR', 'objectId is required');
  const record = store.find(object, String(body.objectId), body.idProperty);
  if (!record) return errorAnswer(404, 'OBJECT_NOT_FOUND', 'resource not found');
  store.remove(object, record.id);
  return { status: 204 };
}
