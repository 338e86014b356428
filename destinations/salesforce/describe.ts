/**
 * Field discovery through `GET …/sobjects/{SObject}/describe`: types, required fields
 * (createable, not nillable, not defaulted on create), restricted picklist values, lengths and
 * read-only fields, so `weft plan` checks a sync's mappings before anything is sent.
 */
import type { FieldSpec, FieldType } from '../../src/destination-kit/index.js';
import { dataPath, type SalesforceContext, sfJson, sObjectOf } from './api.js';
import { apiName } from './lookup.js';

/** One field of a describe answer (the parts used). */
export interface DescribeField {
  name: string;
  label?: string;
  type: string;
  length?: number;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  calculated?: boolean;
  restrictedPicklist?: boolean;
  picklistValues?: { value: string; active?: boolean }[];
}

const TYPES: Record<string, FieldType> = {
  boolean: 'boolean',
  int: 'integer',
  long: 'integer',
  double: 'number',
  currency: 'number',
  percent: 'number',
  date: 'date',
  datetime: 'datetime',
  address: 'json',
  location: 'json',
};

/** A describe field as a FieldSpec (`writes` says whether records may be created in this mode). */
export function fieldSpec(field: DescribeField, creates: boolean): FieldSpec {
  const spec: FieldSpec = { type: TYPES[field.type] ?? 'string' };
  if (field.label) spec.description = field.label;
  if (spec.type === 'string' && field.length && field.length > 0) spec.maxLength = field.length;
  if (creates && field.createable && field.nillable === false && !field.defaultedOnCreate)
    spec.required = true;
  if (field.restrictedPicklist && field.picklistValues) {
    spec.options = field.picklistValues.filter((v) => v.active !== false).map((v) => v.value);
  }
  if (field.calculated || (!field.createable && !field.updateable)) spec.readOnly = true;
  return spec;
}

/** discoverFields: the sync object's fields (required only in modes that create records). */
export async function describeFields(ctx: SalesforceContext): Promise<Record<string, FieldSpec>> {
  const answer = await sfJson<{ fields: DescribeField[] }>(
    ctx,
    {
      path: dataPath(ctx, `/sobjects/${apiName(sObjectOf(ctx))}/describe`),
    },
    { probe: true },
  );
  const creates = ctx.mode !== 'update' && ctx.mode !== 'membership';
  return Object.fromEntries(answer.fields.map((field) => [field.name, fieldSpec(field, creates)]));
}
