/** Shared bits of the HubSpot CRM v3 API: object paths, the record's id value, batch answer shapes. */
import {
  type DestinationContext,
  DestinationError,
  type DestinationRecord,
} from '../../src/destination-kit/index.js';
import type { HubspotSettings } from './settings.js';

/** A primitive's context with HubSpot settings. */
export type HubspotContext = DestinationContext<HubspotSettings>;

/** The sync's object (`object:` in the sync file): contacts, companies or a custom object; default contacts. */
export function objectType(ctx: HubspotContext): string {
  return ctx.object ?? 'contacts';
}

/** `/crm/v3/objects/<object>` + suffix. */
export function objectPath(ctx: HubspotContext, suffix: string): string {
  return `/crm/v3/objects/${encodeURIComponent(objectType(ctx))}${suffix}`;
}

/** The unique property records are matched on (`match_on`; contacts default to email). */
export function idProperty(ctx: HubspotContext): string {
  if (ctx.matchOn) return ctx.matchOn;
  if (objectType(ctx) === 'contacts') return 'email';
  throw new DestinationError(
    'config',
    `HubSpot ${objectType(ctx)}: set match_on to a unique property (e.g. a custom unique id)`,
  );
}

/**
 * The value HubSpot identifies the record by: the mapped `match_on` field when the sync maps it
 * (the key may be another column, e.g. profile_id), else the sync key itself (also for removals,
 * which carry no fields). Undefined when the mapped field is empty: nothing to match on.
 */
export function idValue(ctx: HubspotContext, record: DestinationRecord): string | undefined {
  const property = idProperty(ctx);
  if (!Object.hasOwn(record.fields, property)) return record.key;
  const mapped = record.fields[property];
  return mapped === null || mapped === undefined || mapped === '' ? undefined : String(mapped);
}

/** Why a record with an empty `match_on` value cannot be written or found. */
export function noIdReason(ctx: HubspotContext): string {
  return `${idProperty(ctx)} is empty: HubSpot finds ${objectType(ctx)} records by it`;
}

/** HubSpot compares emails case-insensitively (it stores them lowercased). */
export function sameId(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/** One error of a 207 batch answer. */
export interface BatchError {
  status?: string;
  category?: string;
  message?: string;
  context?: Record<string, string[] | undefined>;
}

/** A batch answer (upsert, update, read): results, plus errors on a 207. */
export interface BatchAnswer {
  status?: string;
  results?: Array<{ id: string; properties?: Record<string, string | null>; objectWriteTraceId?: string }>;
  errors?: BatchError[];
  numErrors?: number;
}
