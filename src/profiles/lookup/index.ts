/** One profile looked up by identifier or id, as `weft profile` shows it. */
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { findProfile } from './find.js';
import { parseProfileQuery } from './query.js';
import { profileSections } from './sections.js';
import { lookupTables } from './tables.js';

export { displayValue, jsonValue } from './json-value.js';
export { type ProfileQuery, ProfileQueryError, parseProfileQuery } from './query.js';
export { type ProfileSection, profileSections, type SectionContext, type SectionOutput } from './sections.js';

/** A found profile with every section loaded, or why nothing was found. */
export type ProfileLookup =
  | {
      found: true;
      profileId: string;
      /** The normalized identifier that matched (absent for a profile-id query). */
      normalized?: string;
      sections: Array<{ key: string; title: string; output: { json: unknown; lines: string[] } }>;
    }
  | { found: false; query: string; normalized?: string | null; hints: string[] };

/** Looks up `text` (`type:value` or a profile id). Throws ProfileQueryError on a malformed one. */
export async function lookupProfile(
  project: Project,
  warehouse: Warehouse,
  text: string,
): Promise<ProfileLookup> {
  const query = parseProfileQuery(text, Object.keys(project.identity?.id_types ?? {}));
  const tables = await lookupTables(project, warehouse);
  const found = await findProfile(project, warehouse, tables, query);
  if (!found.found) return { ...found, query: text };
  const sections = [];
  for (const section of profileSections) {
    const output = await section.load({ project, warehouse, tables, profileId: found.profileId });
    sections.push({ key: section.key, title: section.title, output });
  }
  return { ...found, sections };
}
