/** Normalizes a typed identifier exactly as the identity build does, by asking the warehouse. */
import type { IdentityConfig } from '../../config/types.js';
import type { IdType } from '../../identity/context.js';
import { normalizeExpr } from '../../identity/index.js';
import type { Warehouse } from '../../warehouse/types.js';

/** identity.yml's settings for `name`, in the shape the identity normalizers take. */
function idType(identity: IdentityConfig, name: string): IdType {
  const names = Object.keys(identity.id_types);
  const settings = identity.id_types[name] ?? {};
  const type: IdType = {
    name,
    priority: names.indexOf(name),
    hubThreshold: settings.hub_threshold ?? identity.hub_threshold,
  };
  if (settings.normalize) type.normalize = settings.normalize;
  if (settings.default_country_code) type.defaultCountryCode = settings.default_country_code;
  return type;
}

/** The normalized form of `value` as id type `name`, or null when normalization rejects it. */
export async function normalizeIdentifier(
  warehouse: Warehouse,
  identity: IdentityConfig,
  name: string,
  value: string,
): Promise<string | null> {
  const { dialect } = warehouse;
  const sql = normalizeExpr(dialect, idType(identity, name), dialect.literal(value));
  const [row] = await warehouse.query(`SELECT ${sql} AS normalized`);
  const normalized = row?.normalized;
  return normalized === null || normalized === undefined ? null : String(normalized);
}
