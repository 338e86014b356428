/**
 * Batch member upsert: `POST /lists/{list_id}` with up to 500 members and `update_existing`.
 * Mailchimp answers 200 with `new_members`, `updated_members` and `errors[]` naming rows by
 * `email_address` (with an `error_code`): those rows are rejected with Mailchimp's message, the
 * others acknowledged with their subscriber hash (Mailchimp's member id) as destinationId.
 */
import {
  DestinationError,
  type DestinationRecord,
  md5Hex,
  type RecordResult,
} from '../../src/destination-kit/index.js';
import { listPath, type MailchimpContext, recordEmail } from './api.js';

/** Mapped fields that are member properties; every other field is a merge field (FNAME, …). */
const MEMBER_PROPERTIES = new Set(['email', 'status', 'language', 'vip']);

interface MemberInput {
  email_address: string;
  status_if_new: string;
  status?: string;
  language?: string;
  vip?: boolean;
  merge_fields: Record<string, unknown>;
}

interface BatchAnswer {
  new_members?: Array<{ id?: string; email_address?: string }>;
  updated_members?: Array<{ id?: string; email_address?: string }>;
  errors?: Array<{ email_address?: string; error?: string; error_code?: string }>;
}

function memberFor(ctx: MailchimpContext, record: DestinationRecord, email: string): MemberInput {
  const member: MemberInput = {
    email_address: email,
    status_if_new: ctx.settings.status_if_new,
    merge_fields: {},
  };
  const { status, language, vip } = record.fields;
  if (typeof status === 'string' && status !== '') member.status = status;
  if (typeof language === 'string' && language !== '') member.language = language;
  if (typeof vip === 'boolean') member.vip = vip;
  for (const [name, value] of Object.entries(record.fields)) {
    if (!MEMBER_PROPERTIES.has(name)) member.merge_fields[name] = value ?? '';
  }
  return member;
}

/** The `upsert` primitive. */
export async function upsertMembers(
  ctx: MailchimpContext,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const emails = records.map((record) => recordEmail(record));
  const members = records.flatMap((record, i) => {
    const email = emails[i];
    return email ? [memberFor(ctx, record, email)] : [];
  });
  const answer =
    members.length === 0
      ? {}
      : ((await ctx.http.json<BatchAnswer>({
          method: 'POST',
          path: listPath(ctx),
          json: { members, update_existing: true },
          timeoutMs: ctx.settings.timeout_ms,
        })) ?? {});
  const done = new Map<string, RecordResult>();
  for (const member of [...(answer.new_members ?? []), ...(answer.updated_members ?? [])]) {
    const email = (member.email_address ?? '').toLowerCase();
    done.set(email, { status: 'ok', destinationId: member.id ?? md5Hex(email) });
  }
  for (const error of answer.errors ?? []) {
    const reason = `${error.error_code ?? 'ERROR'}: ${error.error ?? 'rejected by Mailchimp'}`;
    done.set((error.email_address ?? '').toLowerCase(), { status: 'rejected', reason });
  }
  if (members.length > 0 && done.size === 0) {
    throw new DestinationError('retryable', 'Mailchimp answered the batch without members or errors');
  }
  return emails.map(
    (email): RecordResult =>
      email === null
        ? { status: 'rejected', reason: 'no valid email address (Mailchimp members are emails)' }
        : (done.get(email) ?? { status: 'retryable', reason: 'Mailchimp did not acknowledge this member' }),
  );
}
