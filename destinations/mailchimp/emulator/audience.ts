/**
 * The Mailchimp emulator's audiences: members by subscriber hash (MD5 of the lowercase email),
 * their status, merge fields and tags; archived members stay (status `archived`), permanently
 * deleted addresses are remembered because Mailchimp refuses to re-import them. Members have
 * Mailchimp's shape: `tags` is `[{id, name}]` (a tag is a static segment of the audience, with a
 * numeric id shared by every member carrying it), with `tags_count` and `list_id`.
 */
import { createHash } from 'node:crypto';
import type { EmulatorTools } from '../../../src/sandbox/types.js';

/** One member as the emulator keeps it. */
export interface MailchimpMember {
  id: string;
  email_address: string;
  status: string;
  merge_fields: Record<string, unknown>;
  /** As Mailchimp answers them: `[{id, name}]`, never bare names. */
  tags: MailchimpTag[];
  tags_count: number;
  list_id: string;
  language?: string;
  vip?: boolean;
}

/** A member's tag, as Mailchimp lists it. */
export interface MailchimpTag {
  id: number;
  name: string;
}

/** One member input of a batch subscribe. */
export interface MemberInput {
  email_address?: unknown;
  status_if_new?: unknown;
  status?: unknown;
  merge_fields?: Record<string, unknown>;
  language?: unknown;
  vip?: unknown;
}

/** One entry of a batch answer's `errors[]`. */
export interface MemberError {
  email_address: string;
  error: string;
  error_code: string;
}

const STATUSES = new Set(['subscribed', 'pending', 'unsubscribed', 'cleaned', 'transactional']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** MD5 of the lowercase address. */
export function hashOf(email: string): string {
  return createHash('md5').update(email.toLowerCase()).digest('hex');
}

/** One audience's members. */
export class Audience {
  readonly members = new Map<string, MailchimpMember>();
  /** Subscriber hashes deleted permanently. */
  readonly erased = new Set<string>();
  /** Tag name → its segment id in this audience. */
  private readonly tagIds = new Map<string, number>();

  constructor(readonly listId: string) {}

  /** Applies one batch-subscribe input; returns the member and whether it is new, or an error. */
  subscribe(
    input: MemberInput,
    updateExisting: boolean,
    tools: EmulatorTools,
  ): { member: MailchimpMember; created: boolean } | MemberError {
    const email = typeof input.email_address === 'string' ? input.email_address.trim() : '';
    const fail = (error: string, code = 'ERROR_GENERIC'): MemberError => ({
      email_address: email,
      error,
      error_code: code,
    });
    if (!EMAIL.test(email)) return fail(`${email} looks fake or invalid, please enter a real email address.`);
    const hash = hashOf(email);
    if (this.erased.has(hash))
      return fail(
        `${email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`,
      );
    const rule = tools.rejection(email, { email, email_address: email, ...input.merge_fields });
    if (rule) return fail(rule.reason ?? `${email} was rejected`);
    const statusIfNew = input.status_if_new ?? 'subscribed';
    if (typeof statusIfNew !== 'string' || !STATUSES.has(statusIfNew))
      return fail(`Invalid status_if_new ${String(statusIfNew)}`, 'ERROR_GENERIC');
    const existing = this.members.get(hash);
    if (existing && existing.status !== 'archived' && !updateExisting)
      return fail(
        `${email} is already a list member. Use PUT to insert or update list members.`,
        'ERROR_CONTACT_EXISTS',
      );
    const member: MailchimpMember = existing ?? {
      id: hash,
      email_address: email,
      status: statusIfNew,
      merge_fields: {},
      tags: [],
      tags_count: 0,
      list_id: this.listId,
    };
    if (existing?.status === 'archived') member.status = statusIfNew;
    if (typeof input.status === 'string' && STATUSES.has(input.status)) member.status = input.status;
    member.merge_fields = { ...member.merge_fields, ...input.merge_fields };
    if (typeof input.language === 'string') member.language = input.language;
    if (typeof input.vip === 'boolean') member.vip = input.vip;
    this.members.set(hash, member);
    return { member, created: existing === undefined };
  }

  /** Sets tags active or inactive; false when there is no such member. */
  tag(hash: string, tags: Array<{ name: string; status: string }>): boolean {
    const member = this.members.get(hash);
    if (!member) return false;
    for (const { name, status } of tags) {
      const others = member.tags.filter((t) => t.name !== name);
      member.tags = status === 'active' ? [...others, { id: this.tagId(name), name }] : others;
    }
    member.tags_count = member.tags.length;
    return true;
  }

  /** The segment id of a tag (made on first use, as Mailchimp does). */
  private tagId(name: string): number {
    let id = this.tagIds.get(name);
    if (id === undefined) {
      id = 10_000 + this.tagIds.size + 1;
      this.tagIds.set(name, id);
    }
    return id;
  }

  /** Archives a member; false when there is none (or it already is archived). */
  archive(hash: string): boolean {
    const member = this.members.get(hash);
    if (!member || member.status === 'archived') return false;
    member.status = 'archived';
    return true;
  }

  /** Deletes a member for good; false when there is none. */
  erase(hash: string): boolean {
    if (!this.members.delete(hash)) return false;
    this.erased.add(hash);
    return true;
  }
}
