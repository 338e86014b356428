/** Ways to normalize the identifiers typed on the command line as the build does. */
import type { Project } from '../../config/types.js';
import { normalizeIdentifier } from '../../identity/id-types.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { IdentityTables, Normalizer } from './endpoints.js';

/**
 * Runs a SQL normalization expression (the identity build's own, so CLI input and stored
 * values agree) on the literal value in the warehouse.
 */
export function sqlNormalizer(
  warehouse: Warehouse,
  expressionFor: (type: string, valueSql: string) => string,
): Normalizer {
  return async (type, raw) => {
    const [row] = await warehouse.query(`SELECT ${expressionFor(type, warehouse.dialect.literal(raw))} AS v`);
    const value = row?.v;
    return value === null || value === undefined ? null : String(value);
  };
}

/**
 * Without the build's expression: the normalized value the build stored for this exact raw
 * spelling (identity_occurrences.raw_value), else the trimmed input (lowercased for emails).
 */
export function occurrenceNormalizer(warehouse: Warehouse, tables: IdentityTables): Normalizer {
  const d = warehouse.dialect;
  return async (type, raw) => {
    const [seen] = await warehouse.query(
      `SELECT id_value FROM ${d.qualify(tables.occurrences)}
       WHERE id_type = ${d.literal(type)} AND raw_value = ${d.literal(raw)} AND id_value IS NOT NULL LIMIT 1`,
    );
    if (seen) return String(seen.id_value);
    const trimmed = raw.trim();
    return type === 'email' ? trimmed.toLowerCase() : trimmed;
  };
}

/** The identity build's own normalization (normalizeIdentifier) of each id type of `project`. */
export function buildNormalizer(warehouse: Warehouse, project: Project): Normalizer {
  const identity = project.identity;
  if (!identity) throw new Error('The project has no models/identity.yml');
  return (type, raw) => normalizeIdentifier(warehouse, identity, type, raw);
}
