/**
 * Mirror deletes, one member per request: archive (`DELETE /lists/{id}/members/{hash}`, the
 * default; the contact can come back) or, with `delete_mode: permanent`,
 * `POST …/actions/delete-permanent` (GDPR-style: Mailchimp refuses to re-import the address).
 * A member Mailchimp does not have is already gone: acknowledged.
 */
import type { DestinationRecord, RecordResult } from '../../src/destination-kit/index.js';
import { type MailchimpContext, memberPath } from './api.js';
import { eachMember } from './per-member.js';

/** The `remove` primitive. */
export function removeMembers(ctx: MailchimpContext, records: DestinationRecord[]): Promise<RecordResult[]> {
  const permanent = ctx.settings.delete_mode === 'permanent';
  return eachMember(ctx, records, {
    method: permanent ? 'POST' : 'DELETE',
    path: (hash) => memberPath(ctx, hash, permanent ? '/actions/delete-permanent' : ''),
    onMissing: () => ({ status: 'ok' }),
  });
}
