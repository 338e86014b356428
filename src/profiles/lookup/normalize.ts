/** Normalizes a typed identifier exactly as the identity build does, by asking the warehouse. */
import type { IdentityConfig } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';

/**
 * SQL normalizing the string expression `valueSql` as id type `idType` is normalized before
 * matching; NULL when normalization rejects the value.
 */
function normalizeSql(identity: IdentityConfig, idType: string, valueSql: string): string {
  const trimmed = `nullif(trim(${valueSql}), '')`;
  const settings = identity.id_types[idType];
  if (settings?.normalize === 'email') return `lower(${trimmed})`;
  if (settings?.normalize === 'phone') return `'+' || regexp_replace(${trimmed}, '[^0-9]', '', 'g')`;
  return trimmed;
}

/** The normalized form of `value` as `idType`, or null when normalization rejects it. */
export async function normalizeIdentifier(
  warehouse: Warehouse,
  identity: IdentityConfig,
  idType: string,
  value: string,
): Promise<string | null> {
  const sql = normalizeSql(identity, idType, warehouse.dialect.literal(value));
  const [row] = await warehouse.query(`SELECT ${sql} AS normalized`);
  const normalized = row?.normalized;
  return normalized === null || normalized === undefined ? null : String(normalized);
}
