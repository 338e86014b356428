/**
 * Upsert through `POST /users/track` with up to 75 attribute objects, each the row's mapped
 * fields plus its `external_id`. Braze answers `message: "success"` with `errors[]` naming bad
 * objects by `index` (in `input_array` `attributes`): those rows are rejected with Braze's error
 * type, the others acknowledged. Any other `message` means Braze applied nothing: the whole
 * request fails (retryable, with Braze's message).
 */
import {
  DestinationError,
  type DestinationRecord,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import type { BrazeContext } from './api.js';
import { externalId } from './api.js';

interface TrackAnswer {
  message?: string;
  attributes_processed?: number;
  errors?: Array<{ type?: string; input_array?: string; index?: number }>;
}

/** The `upsert` primitive. */
export async function trackAttributes(
  ctx: BrazeContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const ids = records.map((record) => externalId(record));
  const sent = records.flatMap((record, i) => (ids[i] ? [{ ...record.fields, external_id: ids[i] }] : []));
  const positions = records.flatMap((_, i) => (ids[i] ? [i] : []));
  const results: RecordResult[] = ids.map((id) =>
    id ? { status: 'ok', destinationId: id } : { status: 'rejected', reason: 'no external_id for this user' },
  );
  if (sent.length === 0) return results;
  const response = await ctx.http.send({
    method: 'POST',
    path: 'users/track',
    json: { attributes: sent },
    timeoutMs: ctx.settings.timeout_ms,
  });
  const answer = response.json<TrackAnswer>() ?? {};
  if (answer.message !== 'success') {
    throw new DestinationError(
      'retryable',
      `Braze did not accept the request (HTTP ${response.status}): ${answer.message ?? response.text.slice(0, 200)}`,
      { status: response.status },
    );
  }
  for (const error of answer.errors ?? []) {
    if (error.input_array !== undefined && error.input_array !== 'attributes') continue;
    const position = error.index === undefined ? undefined : positions[error.index];
    if (position !== undefined)
      results[position] = { status: 'rejected', reason: `Braze: ${error.type ?? 'invalid object'}` };
  }
  return results;
}
