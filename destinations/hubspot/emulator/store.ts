/** What the HubSpot emulator holds: records per object (ids, properties) and manual lists. */
import { customSchema, DEFAULT_SCHEMAS, type EmulatedProperty } from './schema.js';

/** One CRM record. */
export interface EmulatedRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** One list (manual lists take memberships through the API). */
export interface EmulatedList {
  listId: string;
  name: string;
  objectTypeId: string;
  processingType: 'MANUAL' | 'DYNAMIC';
  members: Set<string>;
}

/** An object type: its schema and records. */
export interface ObjectStore {
  name: string;
  objectTypeId: string;
  schema: EmulatedProperty[];
  records: Map<string, EmulatedRecord>;
  /** Unique property → value → record id (lookups by idProperty without scanning). */
  unique: Map<string, Map<string, string>>;
}

const TYPE_IDS: Record<string, string> = { contacts: '0-1', companies: '0-2' };

/** Records and lists of one emulated portal. */
export class HubspotStore {
  readonly objects = new Map<string, ObjectStore>();
  readonly lists = new Map<string, EmulatedList>();
  private nextId = 100_001;
  private nextListId = 1;

  constructor(
    customObjects: string[],
    extraProperties: Record<string, EmulatedProperty[]>,
    lists: Array<{
      listId?: string;
      name: string;
      objectTypeId?: string;
      processingType?: 'MANUAL' | 'DYNAMIC';
    }>,
  ) {
    for (const [name, schema] of Object.entries(DEFAULT_SCHEMAS))
      this.addObject(name, TYPE_IDS[name] ?? '0-0', schema);
    for (const [index, name] of customObjects.entries()) {
      this.addObject(name, `2-${1000 + index}`, customSchema());
    }
    for (const [name, properties] of Object.entries(extraProperties))
      this.objects.get(name)?.schema.push(...properties);
    for (const list of lists)
      this.createList(list.name, list.objectTypeId ?? '0-1', list.processingType ?? 'MANUAL', list.listId);
  }

  private addObject(name: string, objectTypeId: string, schema: EmulatedProperty[]): void {
    this.objects.set(name, {
      name,
      objectTypeId,
      schema: schema.map((p) => ({ ...p })),
      records: new Map(),
      unique: new Map(),
    });
  }

  /** The value → id index of a unique property (built on first use, e.g. for properties added later). */
  private index(object: ObjectStore, property: string): Map<string, string> {
    let index = object.unique.get(property);
    if (!index) {
      index = new Map();
      for (const record of object.records.values()) {
        const value = record.properties[property];
        if (value !== undefined) index.set(value, record.id);
      }
      object.unique.set(property, index);
    }
    return index;
  }

  private reindex(object: ObjectStore, record: EmulatedRecord, before: Record<string, string>): void {
    for (const [property, index] of object.unique) {
      const old = before[property];
      const now = record.properties[property];
      if (old === now) continue;
      if (old !== undefined && index.get(old) === record.id) index.delete(old);
      if (now !== undefined) index.set(now, record.id);
    }
  }

  /** An object by name or objectTypeId. */
  object(name: string): ObjectStore | undefined {
    return this.objects.get(name) ?? [...this.objects.values()].find((o) => o.objectTypeId === name);
  }

  /** The record whose `property` equals `value` (emails case-insensitively), or with that id. */
  find(object: ObjectStore, value: string, property?: string): EmulatedRecord | undefined {
    if (!property || property === 'hs_object_id') return object.records.get(value);
    const wanted = property === 'email' ? value.toLowerCase() : value;
    const id = this.index(object, property).get(wanted);
    return id === undefined ? undefined : object.records.get(id);
  }

  /** Creates a record with the given properties. */
  create(object: ObjectStore, properties: Record<string, string>): EmulatedRecord {
    const id = String(this.nextId++);
    const now = new Date().toISOString();
    const values = Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== ''));
    const record = {
      id,
      properties: { ...values, hs_object_id: id, createdate: now, lastmodifieddate: now },
      createdAt: now,
      updatedAt: now,
    };
    object.records.set(id, record);
    this.reindex(object, record, {});
    return record;
  }

  /** Sets properties of a record (an empty value clears one). */
  update(object: ObjectStore, record: EmulatedRecord, properties: Record<string, string>): void {
    const before = { ...record.properties };
    for (const [name, value] of Object.entries(properties)) {
      if (value === '') delete record.properties[name];
      else record.properties[name] = value;
    }
    record.updatedAt = new Date().toISOString();
    record.properties.lastmodifieddate = record.updatedAt;
    this.reindex(object, record, before);
  }

  /** Deletes a record (and its list memberships). */
  remove(object: ObjectStore, id: string): boolean {
    for (const list of this.lists.values())
      if (list.objectTypeId === object.objectTypeId) list.members.delete(id);
    const record = object.records.get(id);
    if (!record) return false;
    for (const [property, index] of object.unique) {
      const value = record.properties[property];
      if (value !== undefined && index.get(value) === id) index.delete(value);
    }
    return object.records.delete(id);
  }

  createList(
    name: string,
    objectTypeId: string,
    processingType: 'MANUAL' | 'DYNAMIC',
    listId?: string,
  ): EmulatedList {
    const id = listId ?? String(this.nextListId++);
    const list = { listId: id, name, objectTypeId, processingType, members: new Set<string>() };
    this.lists.set(id, list);
    return list;
  }
}

/** Property values as HubSpot stores them: text, emails lowercased. */
export function storedValues(properties: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties)) {
    const textValue = value === null || value === undefined ? '' : String(value);
    out[name] = name === 'email' ? textValue.toLowerCase() : textValue;
  }
  return out;
}
