/**
 * Mirror deletes and person erasure through `POST /users/delete` by external id. Braze takes 50
 * ids per request while a batch holds up to 75 (the /users/track limit), so a primitive call
 * sends one or two requests, in turn. Braze answers `{deleted, message:"success"}`: ids it does
 * not know are simply not counted, which is what a delete wants.
 */
import {
  DestinationError,
  type DestinationRecord,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { type BrazeContext, externalId } from './api.js';
import { BRAZE_DELETE_BATCH } from './settings.js';

async function deleteIds(ctx: BrazeContext, ids: string[]): Promise<void> {
  const response = await ctx.http.send({
    method: 'POST',
    path: 'users/delete',
    json: { external_ids: ids },
    timeoutMs: ctx.settings.timeout_ms,
  });
  const message = response.json<{ message?: string }>()?.message;
  if (message !== 'success') {
    throw new DestinationError(
      'retryable',
      `Braze did not delete the users: ${message ?? response.text.slice(0, 200)}`,
      {
        status: response.status,
      },
    );
  }
}

/** The `remove` primitive. */
export async function deleteUsers(ctx: BrazeContext, records: DestinationRecord[]): Promise<RecordResult[]> {
  const ids = records.map((record) => externalId(record));
  const known = [...new Set(ids.filter((id): id is string => id !== undefined))];
  // One chunk after another: if the second fails, the whole batch is retried (deleting is idempotent).
  for (let start = 0; start < known.length; start += BRAZE_DELETE_BATCH) {
    await deleteIds(ctx, known.slice(start, start + BRAZE_DELETE_BATCH));
  }
  return ids.map((id) =>
    id ? { status: 'ok' } : { status: 'rejected', reason: 'no external_id for this user' },
  );
}

/** The `deletePerson` hook: the identifier is an external id. */
export async function deletePerson(ctx: BrazeContext, identifier: string): Promise<void> {
  await deleteIds(ctx, [identifier]);
}
