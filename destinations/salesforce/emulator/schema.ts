/**
 * The emulated org's schema: Contact, Lead, Account, Campaign and CampaignMember with the
 * describe metadata the connector reads (types, lengths, nillable/createable/updateable,
 * defaults, restricted picklists, an External_Id__c external id), and the validation Salesforce
 * applies to a record on create or update, with its error codes and messages.
 */
import type { DescribeField } from '../describe.js';

/** A field of the emulated schema. */
export interface FieldDef extends DescribeField {
  label: string;
  externalId?: boolean;
  unique?: boolean;
  /** Value set on create when the record gives none. */
  defaultValue?: unknown;
  /** Referenced object (reference fields). */
  referenceTo?: string;
}

/** An emulated sObject. */
export interface ObjectDef {
  name: string;
  keyPrefix: string;
  fields: FieldDef[];
}

type Opts = Partial<FieldDef>;
const text = (name: string, label: string, length: number, o: Opts = {}): FieldDef => ({
  name,
  label,
  type: 'string',
  length,
  nillable: true,
  createable: true,
  updateable: true,
  defaultedOnCreate: false,
  ...o,
});
const typed = (name: string, label: string, type: string, o: Opts = {}): FieldDef =>
  text(name, label, 0, { type, ...o });
const picklist = (name: string, label: string, values: string[], o: Opts = {}): FieldDef =>
  text(name, label, 255, {
    type: 'picklist',
    restrictedPicklist: true,
    picklistValues: values.map((value) => ({ value, active: true })),
    ...o,
  });
const system = (name: string, label: string, type: string): FieldDef =>
  text(name, label, type === 'id' ? 18 : 0, {
    type,
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  });
const externalId = () => text('External_Id__c', 'External Id', 255, { externalId: true, unique: true });
const required = { nillable: false };
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];

/** The emulated sObjects, by API name. */
export const OBJECTS: Record<string, ObjectDef> = {
  Contact: {
    name: 'Contact',
    keyPrefix: '003',
    fields: [
      system('Id', 'Contact ID', 'id'),
      text('FirstName', 'First Name', 40),
      text('LastName', 'Last Name', 80, required),
      typed('Email', 'Email', 'email', { length: 80 }),
      typed('Phone', 'Business Phone', 'phone', { length: 40 }),
      text('Title', 'Title', 128),
      picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
      typed('Birthdate', 'Birthdate', 'date'),
      typed('HasOptedOutOfEmail', 'Email Opt Out', 'boolean', {
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: false,
      }),
      typed('Lifetime_Value__c', 'Lifetime Value', 'currency'),
      typed('Last_Order_At__c', 'Last Order At', 'datetime'),
      typed('AccountId', 'Account ID', 'reference', { referenceTo: 'Account' }),
      externalId(),
      text('Name', 'Full Name', 121, { createable: false, updateable: false, calculated: true }),
      system('CreatedDate', 'Created Date', 'datetime'),
    ],
  },
  Lead: {
    name: 'Lead',
    keyPrefix: '00Q',
    fields: [
      system('Id', 'Lead ID', 'id'),
      text('FirstName', 'First Name', 40),
      text('LastName', 'Last Name', 80, required),
      text('Company', 'Company', 255, required),
      typed('Email', 'Email', 'email', { length: 80 }),
      picklist('Status', 'Status', ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted'], {
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: 'Open - Not Contacted',
      }),
      picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
      externalId(),
      system('CreatedDate', 'Created Date', 'datetime'),
    ],
  },
  Account: {
    name: 'Account',
    keyPrefix: '001',
    fields: [
      system('Id', 'Account ID', 'id'),
      text('Name', 'Account Name', 255, required),
      picklist('Industry', 'Industry', ['Agriculture', 'Banking', 'Retail', 'Technology', 'Other']),
      typed('AnnualRevenue', 'Annual Revenue', 'currency'),
      externalId(),
      system('CreatedDate', 'Created Date', 'datetime'),
    ],
  },
  Campaign: {
    name: 'Campaign',
    keyPrefix: '701',
    fields: [
      system('Id', 'Campaign ID', 'id'),
      text('Name', 'Name', 80, required),
      typed('IsActive', 'Active', 'boolean', {
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: false,
      }),
      picklist('Status', 'Status', ['Planned', 'In Progress', 'Completed', 'Aborted']),
      system('CreatedDate', 'Created Date', 'datetime'),
    ],
  },
  CampaignMember: {
    name: 'CampaignMember',
    keyPrefix: '00v',
    fields: [
      system('Id', 'Campaign Member ID', 'id'),
      typed('CampaignId', 'Campaign ID', 'reference', {
        referenceTo: 'Campaign',
        nillable: false,
        updateable: false,
      }),
      typed('ContactId', 'Contact ID', 'reference', { referenceTo: 'Contact', updateable: false }),
      typed('LeadId', 'Lead ID', 'reference', { referenceTo: 'Lead', updateable: false }),
      picklist('Status', 'Status', ['Sent', 'Responded'], {
        restrictedPicklist: false,
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: 'Sent',
      }),
      system('CreatedDate', 'Created Date', 'datetime'),
    ],
  },
};

/** An object by API name (Salesforce matches names case-insensitively). */
export function objectNamed(name: string): ObjectDef | undefined {
  const lower = name.toLowerCase();
  return Object.values(OBJECTS).find((o) => o.name.toLowerCase() === lower);
}

/** A field by API name (case-insensitive). */
export function fieldNamed(object: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return object.fields.find((f) => f.name.toLowerCase() === lower);
}

/** The describe answer for an object. */
export function describe(object: ObjectDef) {
  return {
    name: object.name,
    label: object.name,
    keyPrefix: object.keyPrefix,
    createable: true,
    updateable: true,
    fields: object.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      length: f.length ?? 0,
      nillable: f.nillable ?? true,
      createable: f.createable ?? true,
      updateable: f.updateable ?? true,
      defaultedOnCreate: f.defaultedOnCreate ?? false,
      calculated: f.calculated ?? false,
      externalId: f.externalId ?? false,
      unique: f.unique ?? false,
      restrictedPicklist: f.restrictedPicklist ?? false,
      picklistValues: f.picklistValues ?? [],
      referenceTo: f.referenceTo ? [f.referenceTo] : [],
    })),
  };
}

/** A record error as Salesforce reports it. */
export interface EmulatedError {
  statusCode: string;
  message: string;
  fields: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Salesforce's error for one field value, or undefined when it fits. */
function checkValue(field: FieldDef, value: unknown): EmulatedError | undefined {
  const fail = (statusCode: string, message: string): EmulatedError => ({
    statusCode,
    message,
    fields: [field.name],
  });
  if (value === null) return undefined;
  const shown = String(value);
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean'
        ? undefined
        : fail('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${shown}`);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return typeof value === 'number' ||
        (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        ? undefined
        : fail('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${shown}`);
    case 'date':
      return DATE.test(shown)
        ? undefined
        : fail('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${shown}`);
    case 'datetime':
      return Number.isNaN(Date.parse(shown))
        ? fail('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${shown}`)
        : undefined;
    case 'email':
      if (!EMAIL.test(shown))
        return fail('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${shown}`);
      break;
    case 'picklist':
      if (field.restrictedPicklist && !field.picklistValues?.some((v) => v.value === shown)) {
        return fail(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${shown}`,
        );
      }
      break;
  }
  if (field.length && shown.length > field.length) {
    return fail(
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${shown.slice(0, 40)} (max length=${field.length})`,
    );
  }
  return undefined;
}

/**
 * Errors of a record's values (field names already resolved): not writable, bad value, and on
 * create the required fields missing (or set to null on update).
 */
export function validate(
  object: ObjectDef,
  values: Record<string, unknown>,
  creating: boolean,
): EmulatedError[] {
  const errors: EmulatedError[] = [];
  const unwritable = Object.keys(values).filter((name) => {
    const field = fieldNamed(object, name) as FieldDef;
    return creating ? !field.createable : !field.updateable;
  });
  if (unwritable.length > 0) {
    errors.push({
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: `Unable to create/update fields: ${unwritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: unwritable,
    });
  }
  for (const [name, value] of Object.entries(values)) {
    const error = checkValue(fieldNamed(object, name) as FieldDef, value);
    if (error) errors.push(error);
  }
  const missing = object.fields
    .filter((f) => f.createable && f.nillable === false && !f.defaultedOnCreate)
    .filter((f) =>
      creating ? values[f.name] === undefined || values[f.name] === null : values[f.name] === null,
    )
    .map((f) => f.name);
  if (missing.length > 0) {
    errors.push({
      statusCode: 'REQUIRED_FIELD_MISSING',
      message: `Required fields are missing: [${missing.join(', ')}]`,
      fields: missing,
    });
  }
  return errors;
}
