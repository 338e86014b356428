/**
 * The emulated org's records: ids with each object's key prefix, an index per external id
 * field, create/update/upsert/delete with Salesforce's per-record results and error codes,
 * reject rules from the sandbox (as validation rule errors) and injected row locks.
 */
import type { EmulatorTools } from '../../../src/sandbox/types.js';
import { type EmulatedError, fieldNamed, OBJECTS, type ObjectDef, validate } from './schema.js';

/** A per-record answer: `{id, success, errors, created?}`. */
export interface EmulatedResult {
  id?: string;
  success: boolean;
  errors: EmulatedError[];
  created?: boolean;
}

/** How a record is written. */
export type SaveMode = 'create' | 'update' | 'upsert';

const failed = (...errors: EmulatedError[]): EmulatedResult => ({ success: false, errors });
const error = (statusCode: string, message: string, fields: string[] = []): EmulatedError => ({
  statusCode,
  message,
  fields,
});

/** Record store of the emulated org. */
export class RecordStore {
  /** object → id → record (field → value, Id included). */
  readonly records = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly byExternalId = new Map<string, Map<string, string>>();
  private readonly deleted = new Set<string>();
  /** Ids of soft-deleted records (Salesforce's recycle bin); a hard delete skips it. */
  readonly recycleBin = new Set<string>();
  private counter = 0;
  /** Records still to fail with UNABLE_TO_LOCK_ROW (injected). */
  lockRows = 0;
  /** Records refused with UNABLE_TO_LOCK_ROW so far. */
  lockedRefusals = 0;

  constructor(seed: Record<string, Record<string, unknown>[]> = {}) {
    for (const name of Object.keys(OBJECTS)) {
      this.records.set(name, new Map());
      this.byExternalId.set(name, new Map());
    }
    for (const [name, rows] of Object.entries(seed)) {
      for (const row of rows) {
        const id = typeof row.Id === 'string' ? row.Id : this.newId(OBJECTS[name] as ObjectDef);
        this.table(name).set(id, { ...row, Id: id });
      }
    }
  }

  private table(object: string): Map<string, Record<string, unknown>> {
    return this.records.get(object) as Map<string, Record<string, unknown>>;
  }

  private newId(object: ObjectDef): string {
    this.counter++;
    return `${object.keyPrefix}${this.counter.toString(36).toUpperCase().padStart(12, '0')}AAA`;
  }

  /** The object a record id belongs to, and the record. */
  find(id: string): { object: string; record: Record<string, unknown> } | undefined {
    for (const [object, rows] of this.records) {
      const record = rows.get(id);
      if (record) return { object, record };
    }
    return undefined;
  }

  /** The record with this external id value, if any. */
  findByExternalId(object: ObjectDef, field: string, value: string): Record<string, unknown> | undefined {
    if (field !== 'External_Id__c') {
      return [...this.table(object.name).values()].find((r) => String(r[field]) === value);
    }
    const id = this.byExternalId.get(object.name)?.get(value);
    return id === undefined ? undefined : this.table(object.name).get(id);
  }

  /**
   * Writes one record. `values` use canonical field names. Upsert finds the record by
   * `externalIdField`; update needs `id`. Reject rules match on the external id (or id) as key.
   */
  save(
    object: ObjectDef,
    values: Record<string, unknown>,
    mode: SaveMode,
    tools: EmulatorTools | undefined,
    target: { id?: string; externalIdField?: string } = {},
  ): EmulatedResult {
    let existing: Record<string, unknown> | undefined;
    if (mode === 'update') {
      existing = target.id ? this.table(object.name).get(target.id) : undefined;
      if (!existing) {
        return failed(
          target.id && this.deleted.has(target.id)
            ? error('ENTITY_IS_DELETED', 'entity is deleted')
            : error('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'),
        );
      }
    } else if (mode === 'upsert') {
      const field = target.externalIdField as string;
      const value = values[field];
      if (value === undefined || value === null || value === '') {
        return failed(error('MISSING_ARGUMENT', `${field} not specified`));
      }
      existing = this.findByExternalId(object, field, String(value));
    }
    const creating = existing === undefined;
    const key = String(values.External_Id__c ?? target.id ?? '');
    const rule = tools?.rejection(key, values);
    if (rule) {
      const coded = /^([A-Z_]+):\s*(.*)$/.exec(rule.reason ?? '');
      return failed(
        coded
          ? error(coded[1] as string, coded[2] as string, [rule.field])
          : error('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.reason ?? `invalid ${rule.field}`, [rule.field]),
      );
    }
    if (this.lockRows > 0) {
      this.lockRows--;
      this.lockedRefusals++;
      return failed(
        error('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record or 1 records'),
      );
    }
    const errors = validate(object, values, creating);
    errors.push(...this.referenceErrors(object, values, existing));
    if (errors.length > 0) return failed(...errors);
    const ext = values.External_Id__c;
    if (ext !== undefined && ext !== null && fieldNamed(object, 'External_Id__c')) {
      const owner = this.byExternalId.get(object.name)?.get(String(ext));
      if (owner !== undefined && owner !== existing?.Id) {
        return failed(
          error(
            'DUPLICATE_VALUE',
            `duplicate value found: External_Id__c duplicates value on record with id: ${owner}`,
            ['External_Id__c'],
          ),
        );
      }
    }
    const record = existing ?? { Id: this.newId(object), ...this.defaults(object) };
    if (existing?.External_Id__c !== undefined && existing.External_Id__c !== ext && ext !== undefined) {
      this.byExternalId.get(object.name)?.delete(String(existing.External_Id__c));
    }
    Object.assign(record, values);
    this.table(object.name).set(record.Id as string, record);
    if (record.External_Id__c !== undefined && record.External_Id__c !== null) {
      this.byExternalId.get(object.name)?.set(String(record.External_Id__c), record.Id as string);
    }
    return {
      id: record.Id as string,
      success: true,
      errors: [],
      ...(mode !== 'update' && { created: creating }),
    };
  }

  /** Deletes a record by id: to the recycle bin, or for good with `hard` (Bulk API hardDelete). */
  delete(id: string, hard = false): EmulatedResult {
    const found = this.find(id);
    if (!found) {
      return failed(
        this.deleted.has(id)
          ? error('ENTITY_IS_DELETED', 'entity is deleted')
          : error('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'),
      );
    }
    if (this.lockRows > 0) {
      this.lockRows--;
      this.lockedRefusals++;
      return failed(
        error('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record or 1 records'),
      );
    }
    this.table(found.object).delete(id);
    const ext = found.record.External_Id__c;
    if (ext !== undefined && ext !== null) this.byExternalId.get(found.object)?.delete(String(ext));
    this.deleted.add(id);
    if (!hard) this.recycleBin.add(id);
    // Deleting a contact or campaign deletes its campaign members, as in Salesforce.
    for (const [memberId, member] of this.table('CampaignMember')) {
      if (member.ContactId === id || member.LeadId === id || member.CampaignId === id)
        this.table('CampaignMember').delete(memberId);
    }
    return { id, success: true, errors: [] };
  }

  private defaults(object: ObjectDef): Record<string, unknown> {
    return Object.fromEntries(
      object.fields.filter((f) => f.defaultValue !== undefined).map((f) => [f.name, f.defaultValue]),
    );
  }

  /** References must point at records of the right object; a campaign member is unique per person. */
  private referenceErrors(
    object: ObjectDef,
    values: Record<string, unknown>,
    existing: Record<string, unknown> | undefined,
  ): EmulatedError[] {
    const errors: EmulatedError[] = [];
    for (const field of object.fields) {
      const value = values[field.name];
      if (!field.referenceTo || value === undefined || value === null) continue;
      if (!this.table(field.referenceTo).has(String(value))) {
        errors.push(error('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]));
      }
    }
    if (object.name === 'CampaignMember' && !existing && errors.length === 0) {
      const person = values.ContactId ?? values.LeadId;
      if (person === undefined || person === null) {
        errors.push(
          error('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ContactId, LeadId]', [
            'ContactId',
            'LeadId',
          ]),
        );
      } else {
        const duplicate = [...this.table('CampaignMember').values()].some(
          (m) => m.CampaignId === values.CampaignId && (m.ContactId === person || m.LeadId === person),
        );
        if (duplicate) errors.push(error('DUPLICATE_VALUE', 'Already a campaign member.'));
      }
    }
    return errors;
  }
}
