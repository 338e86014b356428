/**
 * Field discovery: `GET /crm/v3/properties/{object}` → the object's properties as weft field
 * specs, so plan refuses a mapping to a property that does not exist or is read-only, and the
 * runner rejects an enumeration value HubSpot would refuse.
 */
import type { FieldSpec, FieldType } from '../../src/destination-kit/index.js';
import { type HubspotContext, objectType } from './api.js';

/** One HubSpot property definition (the parts weft uses). */
export interface HubspotProperty {
  name: string;
  label?: string;
  type: string;
  fieldType?: string;
  options?: Array<{ value: string; label?: string; hidden?: boolean }>;
  calculated?: boolean;
  hidden?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
}

const TYPES: Record<string, FieldType> = {
  string: 'string',
  phone_number: 'string',
  enumeration: 'string',
  number: 'number',
  bool: 'boolean',
  date: 'date',
  datetime: 'datetime',
  object_coordinates: 'string',
  json: 'json',
};

/** The weft field spec of a HubSpot property. */
export function fieldSpec(property: HubspotProperty): FieldSpec {
  const spec: FieldSpec = { type: TYPES[property.type] ?? 'string' };
  if (property.label) spec.description = property.label;
  // Multi-select checkboxes take `a;b` values: not checked against the options one by one here.
  if (property.type === 'enumeration' && property.fieldType !== 'checkbox' && property.options) {
    spec.options = property.options.map((option) => option.value);
  }
  if (property.modificationMetadata?.readOnlyValue || property.calculated) spec.readOnly = true;
  return spec;
}

/** The `discoverFields` hook. */
export async function discoverHubspotFields(ctx: HubspotContext): Promise<Record<string, FieldSpec>> {
  const answer = await ctx.http.json<{ results?: HubspotProperty[] }>({
    path: `/crm/v3/properties/${encodeURIComponent(objectType(ctx))}`,
    timeoutMs: ctx.settings.timeout_ms,
  });
  return Object.fromEntries((answer?.results ?? []).map((property) => [property.name, fieldSpec(property)]));
}
