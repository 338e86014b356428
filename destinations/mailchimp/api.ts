/** Shared pieces of the Mailchimp connector: the context type, member ids and problem+json errors. */
import {
  type DestinationContext,
  type DestinationRecord,
  mailchimpSubscriberHash,
  normalizeEmail,
} from '../../src/destination-kit/index.js';
import type { MailchimpSettings } from './settings.js';

/** A primitive context with parsed Mailchimp settings. */
export type MailchimpContext = DestinationContext<MailchimpSettings>;

/** Mailchimp's error body (RFC 7807 problem+json). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: Array<{ field?: string; message?: string }>;
}

/** `lists/{list_id}` plus `rest`, relative to the API root (which carries /3.0). */
export function listPath(ctx: MailchimpContext, rest = ''): string {
  return `lists/${encodeURIComponent(ctx.settings.list_id)}${rest}`;
}

/** `lists/{list_id}/members/{subscriber_hash}` plus `rest`. */
export function memberPath(ctx: MailchimpContext, hash: string, rest = ''): string {
  return listPath(ctx, `/members/${hash}${rest}`);
}

/** The mapped email of a record (the `email` field, else the key when the sync matches on email). */
export function recordEmail(record: DestinationRecord): string | null {
  return normalizeEmail(record.fields.email ?? record.key);
}

/**
 * The subscriber hash of a record: the one acknowledged earlier (destinationId, kept in the
 * snapshot, so removals need no fields), else MD5 of its lowercase email.
 */
export function subscriberHash(record: DestinationRecord): string | null {
  return record.destinationId ?? mailchimpSubscriberHash(record.fields.email ?? record.key);
}

/** "Title: detail" of a problem+json body, or the raw text. */
export function problemText(body: string): string {
  try {
    const problem = JSON.parse(body) as Problem;
    const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
    const text = [problem.title, problem.detail].filter(Boolean).join(': ');
    if (text) return fields ? `${text} (${fields})` : text;
  } catch {
    // not JSON: fall through
  }
  return body.trim().slice(0, 300) || 'no details';
}
