/** Permanent deletion of one list member (`…/members/{hash}/actions/delete-permanent`). */
import {
  DestinationError,
  type DestinationErrorKind,
  mailchimpSubscriberHash,
} from '../../src/destination-kit/index.js';
import { type MailchimpContext, memberPath } from './api.js';

/**
 * Deletes the member with this email for good; a member the list does not have is already erased.
 * `notEmail` is the error kind when the identifier is not an email address.
 */
export async function deletePermanently(
  ctx: MailchimpContext,
  email: string,
  notEmail: DestinationErrorKind,
): Promise<void> {
  const hash = mailchimpSubscriberHash(email);
  if (hash === null) throw new DestinationError(notEmail, 'Mailchimp erases people by email address');
  const response = await ctx.http.request({
    method: 'POST',
    path: memberPath(ctx, hash, '/actions/delete-permanent'),
    timeoutMs: ctx.settings.timeout_ms,
  });
  if (response.status === 404) return; // not a member: nothing to erase
  const error = ctx.http.classify(response);
  if (error) throw error;
}
