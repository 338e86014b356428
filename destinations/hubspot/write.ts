/**
 * Upsert and update through `batch/upsert` and `batch/update`. Each input carries an
 * `objectWriteTraceId` (its index in the batch) so HubSpot's 207 errors map back to rows:
 * those rows are rejected with HubSpot's message. Acknowledged rows keep their HubSpot record id
 * (destinationId), which later removals and list memberships use.
 */
import {
  DestinationError,
  type DestinationRecord,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import {
  type BatchAnswer,
  type BatchError,
  type HubspotContext,
  idProperty,
  idValue,
  noIdReason,
  objectPath,
  sameId,
} from './api.js';

/** One input of a batch write. */
interface WriteInput {
  id: string;
  idProperty?: string;
  properties: Record<string, unknown>;
  objectWriteTraceId: string;
}

/** HubSpot property values are text; numbers and booleans are sent as HubSpot shows them. */
function propertyValues(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) out[name] = value === null ? '' : value;
  return out;
}

function inputFor(
  ctx: HubspotContext,
  record: DestinationRecord,
  index: number,
  op: 'upsert' | 'update',
): WriteInput | undefined {
  const properties = propertyValues(record.fields);
  const objectWriteTraceId = String(index);
  // An update of a record whose HubSpot id we already know goes by id; everything else by the unique property.
  if (op === 'update' && record.destinationId)
    return { id: record.destinationId, properties, objectWriteTraceId };
  const id = idValue(ctx, record);
  return id === undefined ? undefined : { id, idProperty: idProperty(ctx), properties, objectWriteTraceId };
}

/** Writes one batch and maps HubSpot's answer to one result per record. */
export async function writeBatch(
  ctx: HubspotContext,
  records: DestinationRecord[],
  op: 'upsert' | 'update',
): Promise<RecordResult[]> {
  const prepared = records.map((record, index) => inputFor(ctx, record, index, op));
  const inputs = prepared.filter((input): input is WriteInput => input !== undefined);
  const sent = inputs.length > 0 ? await send(ctx, inputs, op) : [];
  return prepared.map((input) =>
    input === undefined
      ? { status: 'rejected', reason: noIdReason(ctx) }
      : (sent[inputs.indexOf(input)] as RecordResult),
  );
}

/** POSTs the inputs; one result per input. */
async function send(
  ctx: HubspotContext,
  inputs: WriteInput[],
  op: 'upsert' | 'update',
): Promise<RecordResult[]> {
  const response = await ctx.http.send({
    method: 'POST',
    path: objectPath(ctx, `/batch/${op}`),
    json: { inputs },
    timeoutMs: ctx.settings.timeout_ms,
  });
  const answer = response.json<BatchAnswer>() ?? {};
  if ((answer.results ?? []).length === 0 && (answer.errors ?? []).length === 0) {
    // HubSpot sometimes answers 2xx without saying what it did: nothing is known to be applied.
    throw new DestinationError(
      'retryable',
      `HubSpot answered ${response.status} to batch/${op} with no results and no errors`,
      { status: response.status },
    );
  }
  return matchResults(ctx, inputs, answer);
}

/** Rows by trace id; HubSpot's results and errors name rows by trace id (or, failing that, by id). */
function matchResults(ctx: HubspotContext, inputs: WriteInput[], answer: BatchAnswer): RecordResult[] {
  const out: Array<RecordResult | undefined> = inputs.map(() => undefined);
  const byTrace = (trace: string | undefined) =>
    trace === undefined ? -1 : inputs.findIndex((i) => i.objectWriteTraceId === trace);
  const byId = (id: string) => inputs.findIndex((input) => sameId(input.id, id));
  const property = inputs[0]?.idProperty;
  for (const result of answer.results ?? []) {
    let index = byTrace(result.objectWriteTraceId);
    if (index < 0 && property) index = byId(String(result.properties?.[property] ?? ''));
    if (index < 0) index = byId(result.id);
    if (index >= 0) out[index] = { status: 'ok', destinationId: String(result.id) };
  }
  let unplaced: BatchError | undefined;
  for (const error of answer.errors ?? []) {
    const indexes = rowsOf(error, byTrace, byId);
    if (indexes.length === 0) unplaced ??= error;
    for (const index of indexes) out[index] = { status: 'rejected', reason: reasonOf(ctx, error) };
  }
  return out.map(
    (result) =>
      result ?? {
        status: 'retryable',
        reason: unplaced
          ? `HubSpot: ${unplaced.message ?? unplaced.category}`
          : 'HubSpot did not acknowledge this record',
      },
  );
}

function rowsOf(error: BatchError, byTrace: (t: string) => number, byId: (id: string) => number): number[] {
  const traces = (error.context?.objectWriteTraceId ?? []).map(byTrace);
  const ids = (error.context?.ids ?? error.context?.id ?? []).map(byId);
  return [...new Set([...traces, ...ids])].filter((index) => index >= 0);
}

/** HubSpot's message, with a hint for records an update cannot find. */
function reasonOf(ctx: HubspotContext, error: BatchError): string {
  const message = error.message ?? error.category ?? 'rejected by HubSpot';
  if (error.category === 'OBJECT_NOT_FOUND') {
    return `no ${ctx.object ?? 'contacts'} record with that ${idProperty(ctx)} in HubSpot (update mode never creates): ${message}`;
  }
  return error.category ? `${error.category}: ${message}` : message;
}
