/**
 * The Klaviyo emulator's data: profiles (deduplicated by email, then phone number, then
 * external id), lists of profile ids, and bulk import jobs that move queued → processing →
 * complete over a few status reads and apply their profiles when they complete, keeping an
 * import error (code, title, detail, pointer, original payload) for each profile they refuse.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorTools } from '../../../src/sandbox/types.js';

/** A profile as the emulator keeps it. */
export interface KlaviyoProfile {
  id: string;
  email?: string;
  phone_number?: string;
  external_id?: string;
  attributes: Record<string, unknown>;
}

/** One import error, as `…/import-errors` lists it. */
export interface ImportErrorResource {
  type: 'import-error';
  id: string;
  attributes: {
    code: string;
    title: string;
    detail: string;
    source: { pointer: string };
    original_payload: Record<string, unknown>;
  };
}

/** A bulk import job. */
export interface ImportJob {
  id: string;
  status: 'queued' | 'processing' | 'complete';
  profiles: Array<Record<string, unknown>>;
  listId?: string;
  reads: number;
  errors: ImportErrorResource[];
  completed_count: number;
  failed_count: number;
  created_at: string;
  completed_at?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const IDENTIFIERS = ['email', 'phone_number', 'external_id'] as const;

/** A Klaviyo-looking profile id (26 characters, like a ULID). */
function profileId(): string {
  return `01${randomBytes(16).toString('hex').toUpperCase().slice(0, 24)}`;
}

/** Profiles, lists and jobs of one emulated account. */
export class KlaviyoStore {
  readonly profiles = new Map<string, KlaviyoProfile>();
  readonly lists: Map<string, Set<string>>;
  readonly jobs = new Map<string, ImportJob>();
  /** Identifier value → profile id, per identifier kind (no scans for big jobs). */
  private readonly index = {
    email: new Map<string, string>(),
    phone_number: new Map<string, string>(),
    external_id: new Map<string, string>(),
  };

  constructor(
    listIds: string[],
    /** Status reads after which a job is complete (the first read shows it processing). */
    private readonly readsToComplete: number,
  ) {
    this.lists = new Map(listIds.map((id) => [id, new Set<string>()]));
  }

  createJob(profiles: Array<Record<string, unknown>>, listId?: string): ImportJob {
    const job: ImportJob = {
      id: randomUUID().replace(/-/g, ''),
      status: 'queued',
      profiles,
      ...(listId !== undefined && { listId }),
      reads: 0,
      errors: [],
      completed_count: 0,
      failed_count: 0,
      created_at: new Date().toISOString(),
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /** A status read: moves the job on, applying its profiles when it completes. */
  readJob(job: ImportJob, tools: EmulatorTools): ImportJob {
    job.reads++;
    if (job.status === 'complete') return job;
    if (job.reads < this.readsToComplete) {
      job.status = 'processing';
      return job;
    }
    job.profiles.forEach((attributes, index) => {
      const problem = this.problemOf(attributes, tools);
      if (problem) {
        job.failed_count++;
        job.errors.push({
          type: 'import-error',
          id: randomUUID(),
          attributes: {
            code: 'invalid',
            title: 'Invalid input.',
            detail: problem.detail,
            source: {
              pointer: `/data/attributes/profiles/data/${index}/attributes${problem.field ? `/${problem.field}` : ''}`,
            },
            original_payload: attributes,
          },
        });
        return;
      }
      const profile = this.upsert(attributes);
      if (job.listId !== undefined) this.lists.get(job.listId)?.add(profile.id);
      job.completed_count++;
    });
    job.status = 'complete';
    job.completed_at = new Date().toISOString();
    return job;
  }

  private problemOf(
    attributes: Record<string, unknown>,
    tools: EmulatorTools,
  ): { detail: string; field?: string } | undefined {
    const { email, phone_number: phone, external_id: externalId } = attributes;
    if (email === undefined && phone === undefined && externalId === undefined)
      return { detail: 'A profile needs at least one of email, phone_number or external_id.' };
    if (email !== undefined && (typeof email !== 'string' || !EMAIL.test(email)))
      return { detail: `Invalid email address: ${String(email)}`, field: 'email' };
    if (phone !== undefined && (typeof phone !== 'string' || !E164.test(phone)))
      return {
        detail: 'Invalid phone number format (Example of a valid format: +13239169023)',
        field: 'phone_number',
      };
    const key = String(email ?? phone ?? externalId);
    const flat = { ...attributes, ...(attributes.properties as Record<string, unknown> | undefined) };
    const rule = tools.rejection(key, flat);
    return rule ? { detail: rule.reason ?? `${rule.field} is invalid`, field: rule.field } : undefined;
  }

  /** The profile with one of these identifiers (email first, as Klaviyo resolves them). */
  find(attributes: Record<string, unknown>): KlaviyoProfile | undefined {
    for (const kind of IDENTIFIERS) {
      if (attributes[kind] === undefined) continue;
      const id = this.index[kind].get(String(attributes[kind]));
      const profile = id === undefined ? undefined : this.profiles.get(id);
      if (profile) return profile;
    }
    return undefined;
  }

  private upsert(attributes: Record<string, unknown>): KlaviyoProfile {
    const profile = this.find(attributes) ?? { id: profileId(), attributes: {} };
    const { properties, location, ...rest } = attributes;
    for (const kind of IDENTIFIERS) {
      const value = rest[kind];
      if (typeof value !== 'string') continue;
      if (profile[kind] !== undefined) this.index[kind].delete(profile[kind]);
      profile[kind] = value;
      this.index[kind].set(value, profile.id);
    }
    const before = profile.attributes;
    profile.attributes = { ...before, ...rest };
    if (location) profile.attributes.location = { ...(before.location as object), ...(location as object) };
    if (properties)
      profile.attributes.properties = { ...(before.properties as object), ...(properties as object) };
    this.profiles.set(profile.id, profile);
    return profile;
  }

  /** Deletes a profile everywhere (data privacy deletion). */
  erase(profile: KlaviyoProfile): void {
    this.profiles.delete(profile.id);
    for (const kind of IDENTIFIERS) if (profile[kind] !== undefined) this.index[kind].delete(profile[kind]);
    for (const members of this.lists.values()) members.delete(profile.id);
  }
}
