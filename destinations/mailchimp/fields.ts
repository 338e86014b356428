/**
 * Field discovery: the member properties weft sends plus the audience's merge fields
 * (`GET /lists/{id}/merge-fields`), so plan refuses a mapping to a merge tag the audience does
 * not have and the runner rejects a dropdown/radio value outside its choices. Required merge
 * fields are not marked required: Mailchimp only asks for them on new members and says so per
 * member (a rejection), and membership syncs never send them.
 */
import type { FieldSpec } from '../../src/destination-kit/index.js';
import { listPath, type MailchimpContext } from './api.js';

/** One merge field definition (the parts weft uses). */
interface MergeField {
  tag: string;
  name?: string;
  type: string;
  options?: { choices?: string[] };
}

/** Member properties a sync may map besides merge fields. */
export const MEMBER_FIELDS: Record<string, FieldSpec> = {
  email: { type: 'string', required: true, maxLength: 254, description: 'email_address (the member id)' },
  status: {
    type: 'string',
    options: ['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional'],
    description: 'Sets the status of existing members too (status_if_new only applies to new ones)',
  },
  language: { type: 'string', maxLength: 5 },
  vip: { type: 'boolean' },
};

function specOf(field: MergeField): FieldSpec {
  const spec: FieldSpec = {
    type: field.type === 'number' ? 'number' : field.type === 'address' ? 'json' : 'string',
  };
  if (field.name) spec.description = field.name;
  if ((field.type === 'dropdown' || field.type === 'radio') && field.options?.choices)
    spec.options = field.options.choices;
  return spec;
}

/** The `discoverFields` hook. */
export async function discoverMailchimpFields(ctx: MailchimpContext): Promise<Record<string, FieldSpec>> {
  const answer = await ctx.http.json<{ merge_fields?: MergeField[] }>({
    path: listPath(ctx, '/merge-fields'),
    query: { count: 1000 },
    timeoutMs: ctx.settings.timeout_ms,
  });
  return {
    ...Object.fromEntries((answer?.merge_fields ?? []).map((field) => [field.tag, specOf(field)])),
    ...MEMBER_FIELDS,
  };
}
