/** The identity and profile tables a lookup reads, and whether they exist. */
import { relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import type { RelationRef, Warehouse } from '../../warehouse/types.js';

/** Names of the tables in the project schema that describe profiles. */
export const LOOKUP_TABLES = ['identity_map', 'identity_occurrences', 'profile_merges', 'profiles'] as const;

/** One of LOOKUP_TABLES. */
export type LookupTable = (typeof LOOKUP_TABLES)[number];

/** Each lookup table's relation, or undefined when it has not been built. */
export type LookupTables = Record<LookupTable, RelationRef | undefined>;

/** Finds which lookup tables exist in the project schema. */
export async function lookupTables(project: Project, warehouse: Warehouse): Promise<LookupTables> {
  const tables: Partial<LookupTables> = {};
  for (const name of LOOKUP_TABLES) {
    const ref = { schema: project.config.schema, name };
    tables[name] = (await relationKind(warehouse, ref)) ? ref : undefined;
  }
  return tables as LookupTables;
}
