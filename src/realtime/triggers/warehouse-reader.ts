/**
 * A ProfileReader over the warehouse's last build (identity_map, profiles, audience_members), for
 * `weft trigger test`: slow (a few queries per lookup) but needs no running `weft serve`. The live
 * engine reads the serving store instead.
 */
import type { Project } from '../../config/types.js';
import { loadMemberships } from '../../profiles/lookup/audiences-section.js';
import { findProfile } from '../../profiles/lookup/find.js';
import { loadIdentifiers } from '../../profiles/lookup/identifiers-section.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import { type ProfileQuery, parseProfileQuery } from '../../profiles/lookup/query.js';
import { lookupTables } from '../../profiles/lookup/tables.js';
import { loadTraits } from '../../profiles/lookup/traits-section.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { ProfileReader, ServedProfile } from '../types.js';

/** Reads profiles as the last `weft build` left them. */
export function warehouseProfileReader(
  project: Project,
  warehouse: Warehouse,
): ProfileReader & {
  /** `type:value` or a profile id, as `weft profile` takes it. */
  byText(text: string): Promise<ServedProfile | undefined>;
} {
  const idTypes = Object.keys(project.identity?.id_types ?? {});
  const tables = lookupTables(project, warehouse);

  async function load(query: ProfileQuery): Promise<ServedProfile | undefined> {
    if (!project.identity) return undefined;
    const found = await findProfile(project, warehouse, await tables, query);
    if (!found.found) return undefined;
    const ctx = { project, warehouse, tables: await tables, profileId: found.profileId };
    const [identifiers, traits, { memberships }] = await Promise.all([
      loadIdentifiers(ctx),
      loadTraits(ctx),
      loadMemberships(ctx),
    ]);
    return {
      profileId: found.profileId,
      identifiers: identifiers.map((i) => ({ type: i.type, value: i.value })),
      traits: jsonValue(traits) as Record<string, unknown>,
      audiences: memberships.flatMap((m) =>
        m.split ? [m.audience, `${m.audience}_${m.split}`] : [m.audience],
      ),
    };
  }

  return {
    byIdentifier(type, value) {
      if (!idTypes.includes(type)) return Promise.resolve(undefined);
      return load({ kind: 'identifier', idType: type, value, text: `${type}:${value}` });
    },
    byProfileId: (profileId) => load({ kind: 'profile_id', profileId, text: profileId }),
    byText: (text) => load(parseProfileQuery(text, idTypes)),
  };
}
