/**
 * Finds the profile a query names, or explains why none matches: the normalized form tried,
 * whether the value was excluded from matching (and why), or whether a profile id was merged.
 */
import type { Project } from '../../config/types.js';
import { normalizeIdentifier } from '../../identity/id-types.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { ProfileQuery } from './query.js';
import type { LookupTables } from './tables.js';

/** The outcome of a lookup. */
export type FindResult =
  | { found: true; profileId: string; normalized?: string }
  | { found: false; normalized?: string | null; hints: string[] };

/** Looks the query up in identity_map. */
export async function findProfile(
  project: Project,
  warehouse: Warehouse,
  tables: LookupTables,
  query: ProfileQuery,
): Promise<FindResult> {
  const { dialect } = warehouse;
  const map = tables.identity_map;
  if (!map)
    throw new Error(
      `${dialect.qualify({ schema: project.config.schema, name: 'identity_map' })} does not exist: run \`weft build\` first`,
    );
  if (query.kind === 'profile_id') {
    const rows = await warehouse.query(
      `SELECT profile_id FROM ${dialect.qualify(map)} WHERE profile_id = ${dialect.literal(query.profileId)} LIMIT 1`,
    );
    if (rows.length > 0) return { found: true, profileId: query.profileId };
    return { found: false, hints: await profileIdHints(warehouse, tables, query.profileId) };
  }
  const identity = project.identity;
  if (!identity) throw new Error('the project has no models/identity.yml');
  const normalized = await normalizeIdentifier(warehouse, identity, query.idType, query.value);
  if (normalized === null) {
    return {
      found: false,
      normalized,
      hints: [`'${query.value}' is not a valid ${query.idType}: normalization rejects it`],
    };
  }
  const rows = await warehouse.query(
    `SELECT profile_id FROM ${dialect.qualify(map)} WHERE id_type = ${dialect.literal(query.idType)} AND id_value = ${dialect.literal(normalized)} LIMIT 1`,
  );
  const profileId = rows[0]?.profile_id;
  if (profileId !== undefined && profileId !== null)
    return { found: true, profileId: String(profileId), normalized };
  return { found: false, normalized, hints: await identifierHints(warehouse, tables, query, normalized) };
}

const reasonText: Record<string, string> = {
  blocklist: 'it matches the blocklist in identity.yml',
  junk: 'it is a known junk value',
  invalid: 'normalization rejects it',
  hub: 'it is a hub, shared by too many higher-priority ids to merge on',
};

async function identifierHints(
  warehouse: Warehouse,
  tables: LookupTables,
  query: Extract<ProfileQuery, { kind: 'identifier' }>,
  normalized: string,
): Promise<string[]> {
  const { dialect } = warehouse;
  const tried = `${query.idType}:${normalized}`;
  const hints = [
    normalized === query.value ? `tried ${tried}` : `tried ${tried} (normalized from '${query.value}')`,
  ];
  const occurrences = tables.identity_occurrences;
  if (!occurrences) return hints;
  const rows = await warehouse.query(`SELECT excluded_reason, source, count(*) AS row_count
FROM ${dialect.qualify(occurrences)}
WHERE id_type = ${dialect.literal(query.idType)}
  AND (id_value = ${dialect.literal(normalized)} OR raw_value = ${dialect.literal(query.value)})
GROUP BY excluded_reason, source
ORDER BY excluded_reason, source`);
  if (rows.length === 0) return [...hints, `${tried} was not seen in any identity source`];
  for (const row of rows) {
    const reason = row.excluded_reason === null ? null : String(row.excluded_reason);
    const seen = `seen in ${Number(row.row_count)} row(s) of ${String(row.source)}`;
    hints.push(
      reason === null
        ? `${seen} but not in identity_map: the identity graph may be out of date (run \`weft build\`)`
        : `${seen}, excluded from matching: ${reasonText[reason] ?? reason}`,
    );
  }
  return hints;
}

async function profileIdHints(
  warehouse: Warehouse,
  tables: LookupTables,
  profileId: string,
): Promise<string[]> {
  const { dialect } = warehouse;
  const hints = [
    `no profile has id '${profileId}'; to look up an identifier, write type:value (e.g. email:ann@example.org)`,
  ];
  if (!tables.profile_merges) return hints;
  const rows =
    await warehouse.query(`SELECT new_profile_id, reason FROM ${dialect.qualify(tables.profile_merges)}
WHERE old_profile_id = ${dialect.literal(profileId)} ORDER BY ${dialect.quoteIdent('at')} DESC LIMIT 1`);
  const merge = rows[0];
  if (merge) hints.push(`it became ${String(merge.new_profile_id)} (${String(merge.reason)})`);
  return hints;
}
