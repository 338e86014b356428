/**
 * The emulator's property schemas (what `GET /crm/v3/properties/{object}` answers) and HubSpot's
 * validation of property values: unknown property, read-only property, bad email, bad number,
 * value outside an enumeration's options — each as the `{isValid:false, error, name, message}`
 * entry HubSpot lists in "Property values were not valid".
 */
import type { HubspotProperty } from '../fields.js';

/** A property definition as the emulator holds it (HubSpot's shape plus uniqueness). */
export interface EmulatedProperty extends HubspotProperty {
  /** May be used as `idProperty` in batch upsert/read. */
  hasUniqueValue?: boolean;
}

const text = (name: string, label: string, extra: Partial<EmulatedProperty> = {}): EmulatedProperty => ({
  name,
  label,
  type: 'string',
  fieldType: 'text',
  ...extra,
});
const readOnly = { modificationMetadata: { readOnlyValue: true } };
const options = (...values: string[]) => values.map((value) => ({ value, label: value, hidden: false }));

const common: EmulatedProperty[] = [
  { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', ...readOnly },
  { name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date', ...readOnly },
  { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', fieldType: 'date', ...readOnly },
];

/** Built-in objects' properties (a realistic subset), plus the demo's custom `lifetime_value`. */
export const DEFAULT_SCHEMAS: Record<string, EmulatedProperty[]> = {
  contacts: [
    ...common,
    text('email', 'Email', { hasUniqueValue: true }),
    text('firstname', 'First Name'),
    text('lastname', 'Last Name'),
    text('phone', 'Phone Number', { type: 'phone_number', fieldType: 'phonenumber' }),
    text('company', 'Company Name'),
    text('city', 'City'),
    {
      name: 'lifecyclestage',
      label: 'Lifecycle Stage',
      type: 'enumeration',
      fieldType: 'radio',
      options: options(
        'subscriber',
        'lead',
        'marketingqualifiedlead',
        'salesqualifiedlead',
        'opportunity',
        'customer',
        'evangelist',
        'other',
      ),
    },
    { name: 'lifetime_value', label: 'Lifetime value', type: 'number', fieldType: 'number' },
    { name: 'last_order_date', label: 'Last order date', type: 'date', fieldType: 'date' },
    {
      name: 'vip',
      label: 'VIP',
      type: 'bool',
      fieldType: 'booleancheckbox',
      options: options('true', 'false'),
    },
    text('weft_id', 'weft id', { hasUniqueValue: true }),
    {
      name: 'hs_email_domain',
      label: 'Email Domain',
      type: 'string',
      fieldType: 'text',
      calculated: true,
      ...readOnly,
    },
  ],
  companies: [
    ...common,
    text('name', 'Name'),
    text('domain', 'Company Domain Name', { hasUniqueValue: true }),
    text('phone', 'Phone Number'),
    text('city', 'City'),
    {
      name: 'industry',
      label: 'Industry',
      type: 'enumeration',
      fieldType: 'select',
      options: options('COMPUTER_SOFTWARE', 'RETAIL', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE'),
    },
    { name: 'numberofemployees', label: 'Number of Employees', type: 'number', fieldType: 'number' },
  ],
};

/** Properties of a custom object: a name, a unique external id and a status enumeration. */
export function customSchema(): EmulatedProperty[] {
  return [
    ...common,
    text('name', 'Name'),
    text('external_id', 'External id', { hasUniqueValue: true }),
    {
      name: 'status',
      label: 'Status',
      type: 'enumeration',
      fieldType: 'select',
      options: options('active', 'inactive'),
    },
  ];
}

/** One invalid property value, as HubSpot reports it. */
export interface PropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Problems with a record's property values (empty when valid). */
export function validateProperties(
  schema: EmulatedProperty[],
  properties: Record<string, unknown>,
  validateEmails: boolean,
): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  const problem = (name: string, error: string, message: string) =>
    problems.push({ isValid: false, message, error, name });
  for (const [name, raw] of Object.entries(properties)) {
    const property = schema.find((p) => p.name === name);
    if (!property) {
      problem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
      continue;
    }
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (property.modificationMetadata?.readOnlyValue || property.calculated) {
      problem(name, 'READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`);
      continue;
    }
    if (value === '') continue; // clears the property
    if (name === 'email' && validateEmails && !EMAIL.test(value)) {
      problem(name, 'INVALID_EMAIL', `Email address ${value} is invalid`);
    } else if (property.type === 'number' && !Number.isFinite(Number(value))) {
      problem(name, 'INVALID_DECIMAL', `${value} was not a valid number.`);
    } else if (property.type === 'enumeration' && property.options) {
      const allowed = property.options.map((o) => o.value);
      const values = property.fieldType === 'checkbox' ? value.split(';') : [value];
      if (values.some((v) => !allowed.includes(v))) {
        problem(
          name,
          'INVALID_OPTION',
          `${value} was not one of the allowed options: [${allowed.join(', ')}]`,
        );
      }
    } else if (property.type === 'bool' && !['true', 'false'].includes(value.toLowerCase())) {
      problem(name, 'INVALID_BOOLEAN', `${value} is not a valid boolean`);
    } else if (
      (property.type === 'date' || property.type === 'datetime') &&
      Number.isNaN(Date.parse(value)) &&
      !/^\d+$/.test(value)
    ) {
      problem(name, 'INVALID_DATE', `${value} is not a valid ${property.type}`);
    }
  }
  return problems;
}
