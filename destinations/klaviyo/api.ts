/**
 * Shared pieces of the Klaviyo connector: the context type, JSON:API errors, and a row's profile
 * attributes with its identifiers normalized (email lowercased, phone in E.164).
 */
import {
  type DestinationContext,
  type DestinationRecord,
  normalizeMatchKey,
} from '../../src/destination-kit/index.js';
import type { KlaviyoSettings } from './settings.js';

/** A primitive context with parsed Klaviyo settings. */
export type KlaviyoContext = DestinationContext<KlaviyoSettings>;

/** The identifiers Klaviyo matches profiles on. */
export const IDENTIFIERS = ['email', 'phone_number', 'external_id'] as const;
export type Identifier = (typeof IDENTIFIERS)[number];

/** Profile attributes Klaviyo has; any other mapped field becomes a custom property. */
const PROFILE_ATTRIBUTES = new Set(['first_name', 'last_name', 'organization', 'title', 'image', 'locale']);
const LOCATION_ATTRIBUTES = new Set(['address1', 'address2', 'city', 'country', 'region', 'zip', 'timezone']);

/** One error of a JSON:API error body. */
export interface JsonApiError {
  id?: string;
  status?: number | string;
  code?: string;
  title?: string;
  detail?: string;
  source?: { pointer?: string };
}

/** "code: detail" of the first JSON:API error, or the raw text. */
export function errorText(body: string): string {
  try {
    const [first] = (JSON.parse(body) as { errors?: JsonApiError[] }).errors ?? [];
    if (first) return [first.code, first.detail ?? first.title].filter(Boolean).join(': ');
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 300) || 'no details';
}

/** An identifier's value normalized the way Klaviyo stores it; null when unusable. */
export function normalizeIdentifier(ctx: KlaviyoContext, kind: Identifier, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const platformKind = kind === 'phone_number' ? 'phone' : kind;
  return normalizeMatchKey('plain', platformKind, value, {
    defaultCallingCode: ctx.settings.default_calling_code,
  });
}

/** A row as a Klaviyo profile's attributes, or the reason it cannot be one. */
export function profileAttributes(
  ctx: KlaviyoContext,
  record: DestinationRecord,
): { attributes: Record<string, unknown> } | { reason: string } {
  const fields = { ...record.fields };
  const matchOn = ctx.matchOn as Identifier | undefined;
  if (matchOn && IDENTIFIERS.includes(matchOn) && fields[matchOn] === undefined) fields[matchOn] = record.key;
  const attributes: Record<string, unknown> = {};
  const location: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if ((IDENTIFIERS as readonly string[]).includes(name)) {
      if (value === null || value === undefined || value === '') continue;
      const normalized = normalizeIdentifier(ctx, name as Identifier, value);
      if (normalized === null) return { reason: `${name} '${String(value)}' is not valid for Klaviyo` };
      attributes[name] = normalized;
    } else if (PROFILE_ATTRIBUTES.has(name)) attributes[name] = value;
    else if (LOCATION_ATTRIBUTES.has(name)) location[name] = value;
    else properties[name] = value;
  }
  if (!IDENTIFIERS.some((name) => attributes[name] !== undefined))
    return { reason: 'a Klaviyo profile needs an email, phone_number or external_id' };
  if (Object.keys(location).length > 0) attributes.location = location;
  if (Object.keys(properties).length > 0) attributes.properties = properties;
  return { attributes };
}
