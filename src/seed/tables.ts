/** Every table `weft seed` writes, with its columns: the raw sources and the ground truth. */
import type { ColumnDef, RelationRef } from '../warehouse/types.js';
import { appEvents } from './sources/app.js';
import { crmContacts } from './sources/crm.js';
import { devices } from './sources/devices.js';
import { newsletterSignups } from './sources/newsletter.js';
import { shopCustomers, shopOrders } from './sources/shop.js';
import { supportTickets } from './sources/support.js';
import { webEvents } from './sources/web.js';
import { type SeedTable, TRUTH_SCHEMA } from './table.js';

/** The raw source tables, in load order. */
export const SOURCE_TABLES: readonly SeedTable[] = [
  shopCustomers,
  shopOrders,
  crmContacts,
  webEvents,
  supportTickets,
  newsletterSignups,
  appEvents,
  devices,
];

/** `truth.people`: one row per true person. */
export const TRUTH_PEOPLE: { ref: RelationRef; columns: ColumnDef[] } = {
  ref: { schema: TRUTH_SCHEMA, name: 'people' },
  columns: [
    { name: 'person_id', type: 'integer' },
    { name: 'first_name', type: 'string' },
    { name: 'last_name', type: 'string' },
    { name: 'email', type: 'string' },
    { name: 'phone', type: 'string' },
  ],
};

/** `truth.row_person`: the true person behind every raw row. */
export const TRUTH_ROW_PERSON: { ref: RelationRef; columns: ColumnDef[] } = {
  ref: { schema: TRUTH_SCHEMA, name: 'row_person' },
  columns: [
    { name: 'source_table', type: 'string' },
    { name: 'row_key', type: 'string' },
    { name: 'person_id', type: 'integer' },
  ],
};
