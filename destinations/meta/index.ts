/**
 * Meta Custom Audiences (Marketing API): membership syncs add and remove people in a customer-list
 * audience (the sync's `list`) by hashed multi-key rows (EMAIL, PHONE, FN, LN, CT, ST, ZIP,
 * COUNTRY, GEN, DOB, EXTERN_ID, MADID from the mapped fields, normalized with the match-keys
 * `meta` rules), ≤10,000 rows per request, in one upload session per run and primitive.
 */
import { defineDestination, type FieldSpec } from '../../src/destination-kit/index.js';
import { refineMetaError } from './errors.js';
import { META_KEYS } from './keys.js';
import { META_BATCH, metaAccount, metaSettings } from './settings.js';
import { changeUsers } from './users.js';

const fields: Record<string, FieldSpec> = Object.fromEntries(
  META_KEYS.map(({ field, column }) => [field, { type: 'string', description: `Meta ${column}` }]),
);

/** The Meta destination. */
export const meta = defineDestination({
  type: 'meta',
  description: 'Meta Custom Audiences: customer-list audience membership by hashed multi-key rows',
  settings: metaSettings,
  capabilities: {
    modes: ['membership'],
    batch: { maxRecords: META_BATCH },
    // Batches of a session go in batch_seq order: one at a time.
    concurrency: 1,
    fields,
  },
  sequential: true,
  account: metaAccount,
  baseUrl: (settings) => settings.base_url,
  refineError: refineMetaError,
  addMembers: (ctx, records) => changeUsers(ctx, records, true),
  removeMembers: (ctx, records) => changeUsers(ctx, records, false),
  erase: (ctx, records) => changeUsers(ctx, records, false),
  erasure: {
    action: 'meta.audience_remove',
    effect:
      'DELETE /{audience_id}/users with the hashed keys kept at add time: the person leaves the custom audience (Meta holds no other weft data about them)',
  },
});
