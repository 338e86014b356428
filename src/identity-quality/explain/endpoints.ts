/** Parsing `type:value` and finding how the identity build treated an identifier. */
import type { Project } from '../../config/types.js';
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import type { ExplainEndpoint } from './types.js';

/** A malformed identifier argument (the CLI exits 2). */
export class IdentifierInputError extends Error {
  override name = 'IdentifierInputError';
}

/** Normalizes a raw value of an id type as the build does; NULL when it is rejected. */
export type Normalizer = (type: string, raw: string) => Promise<string | null>;

/** The identity output tables explain reads. */
export interface IdentityTables {
  map: RelationRef;
  edges: RelationRef;
  occurrences: RelationRef;
}

/** identity_map, identity_edges and identity_occurrences of `project`. */
export function identityTables(project: Project): IdentityTables {
  const schema = project.config.schema;
  return {
    map: { schema, name: 'identity_map' },
    edges: { schema, name: 'identity_edges' },
    occurrences: { schema, name: 'identity_occurrences' },
  };
}

/** `email:Ann@X.com` → type and raw value; the type must be one of identity.yml's id types. */
export function parseIdentifier(project: Project, input: string): { type: string; raw: string } {
  const colon = input.indexOf(':');
  const types = Object.keys(project.identity?.id_types ?? {});
  if (colon <= 0 || colon === input.length - 1) {
    throw new IdentifierInputError(
      `'${input}' is not an identifier: write TYPE:VALUE, e.g. email:ann@example.com`,
    );
  }
  const type = input.slice(0, colon);
  if (!types.includes(type)) {
    throw new IdentifierInputError(
      `unknown id type '${type}' in '${input}': identity.yml has ${types.join(', ')}`,
    );
  }
  return { type, raw: input.slice(colon + 1) };
}

/** How the build saw an identifier: used (with its profile), excluded (with why) or unknown. */
export async function resolveEndpoint(
  warehouse: Warehouse,
  tables: IdentityTables,
  input: string,
  type: string,
  raw: string,
  normalize: Normalizer,
): Promise<ExplainEndpoint> {
  const d = warehouse.dialect;
  const value = await normalize(type, raw);
  const endpoint: ExplainEndpoint = { input, type, value, status: 'unknown' };
  if (value !== null) {
    const [mapped] = await warehouse.query(
      `SELECT profile_id FROM ${d.qualify(tables.map)}
       WHERE id_type = ${d.literal(type)} AND id_value = ${d.literal(value)} LIMIT 1`,
    );
    if (mapped) return { ...endpoint, status: 'used', profile_id: String(mapped.profile_id) };
  }
  const valueMatch = value === null ? 'FALSE' : `id_value = ${d.literal(value)}`;
  // The most frequent reason wins; a value is usually excluded for one reason only.
  const [excluded] = await warehouse.query(
    `SELECT excluded_reason, COUNT(*) AS n FROM ${d.qualify(tables.occurrences)}
     WHERE id_type = ${d.literal(type)} AND (${valueMatch} OR raw_value = ${d.literal(raw)})
       AND excluded_reason IS NOT NULL
     GROUP BY excluded_reason ORDER BY n DESC, excluded_reason LIMIT 1`,
  );
  if (excluded) return { ...endpoint, status: 'excluded', excluded_reason: String(excluded.excluded_reason) };
  if (value === null) return { ...endpoint, status: 'excluded', excluded_reason: 'invalid' };
  return endpoint;
}
