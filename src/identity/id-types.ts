/**
 * identity.yml's id types in the shape the SQL builders take, and the normalization of one
 * typed-in identifier (CLI input) with the very expression the build applies to stored values.
 */
import type { IdentityConfig } from '../config/types.js';
import type { Warehouse } from '../warehouse/types.js';
import type { IdType } from './context.js';
import { normalizeExpr } from './normalize.js';

/** The id types of identity.yml, in priority order (0 = highest). */
export function idTypesOf(config: IdentityConfig): IdType[] {
  return Object.entries(config.id_types).map(([name, settings], priority) => {
    const type: IdType = {
      name,
      priority,
      hubThreshold: settings.hub_threshold ?? config.hub_threshold,
      sharedThreshold: settings.shared_threshold ?? config.shared_threshold,
    };
    if (settings.normalize) type.normalize = settings.normalize;
    if (settings.default_country_code) type.defaultCountryCode = settings.default_country_code;
    if (settings.max_per_profile) type.maxPerProfile = settings.max_per_profile;
    return type;
  });
}

/**
 * The normalized form of `value` as id type `typeName`, computed by the warehouse with the
 * build's own expression; null when normalization rejects it. Throws for an unknown id type.
 */
export async function normalizeIdentifier(
  warehouse: Warehouse,
  config: IdentityConfig,
  typeName: string,
  value: string,
): Promise<string | null> {
  const type = idTypesOf(config).find((t) => t.name === typeName);
  if (!type) throw new Error(`unknown id type '${typeName}'`);
  const { dialect } = warehouse;
  const [row] = await warehouse.query(
    `SELECT ${normalizeExpr(dialect, type, dialect.literal(value))} AS normalized`,
  );
  const normalized = row?.normalized;
  return normalized === null || normalized === undefined ? null : String(normalized);
}
