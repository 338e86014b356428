/**
 * Membership syncs as a Mailchimp tag: `ctx.list` is the tag name, and
 * `POST /lists/{id}/members/{hash}/tags` sets it active (added) or inactive (removed), one member
 * per request (see per-member.ts for why the loop is inside the primitive). Tagging someone who
 * is not in the audience is rejected (sync the members first); untagging them is already done.
 */
import {
  DestinationError,
  type DestinationRecord,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { type MailchimpContext, memberPath } from './api.js';
import { eachMember } from './per-member.js';

function tagName(ctx: MailchimpContext): string {
  if (!ctx.list) throw new DestinationError('config', 'Mailchimp membership sync: set list to the tag name');
  return ctx.list;
}

/** The `addMembers` (active) and `removeMembers` (inactive) primitives. */
export function changeTag(
  ctx: MailchimpContext,
  records: DestinationRecord[],
  active: boolean,
): Promise<RecordResult[]> {
  const name = tagName(ctx);
  return eachMember(ctx, records, {
    method: 'POST',
    path: (hash) => memberPath(ctx, hash, '/tags'),
    json: { tags: [{ name, status: active ? 'active' : 'inactive' }] },
    onMissing: (hash) =>
      active
        ? {
            status: 'rejected',
            reason: `not a member of audience ${ctx.settings.list_id} (sync the members first), cannot tag ${name}`,
          }
        : { status: 'ok', destinationId: hash },
  });
}
