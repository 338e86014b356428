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
 * (the key may be another column, e.g. profile_id), else the sync key itself.
 */
export function idValue(ctx: HubspotContext, record: DestinationRecord): string {
  const mapped = record.fields[idProperty(ctx)];
  return mapped === null || mapped === undefined || mapped === '' ? record.key : String(mapped);
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
