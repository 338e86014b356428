/**
 * The person a privacy request names: `type:value` (normalized as identity.yml does) or a profile
 * id, and the profile it belongs to. Clear values stay in memory for the request's duration only;
 * everything stored is a hash (hash.ts).
 */
import type { Project } from '../config/types.js';
import { normalizeIdentifier } from '../identity/id-types.js';
import { findProfile } from '../profiles/lookup/find.js';
import { ProfileQueryError, parseProfileQuery } from '../profiles/lookup/query.js';
import { type LookupTables, lookupTables } from '../profiles/lookup/tables.js';
import type { Warehouse } from '../warehouse/types.js';
import { identifierHash } from './hash.js';

/** One identifier of a request, resolved. */
export interface Subject {
  /** The id type (`profile_id` for a profile id). */
  idType: string;
  /** The normalized value: never stored, logged or printed. */
  value: string;
  /** identifierHash(value). */
  hash: string;
  /** The profile holding it, when identity_map has it. */
  profileId?: string;
}

/** Thrown for an identifier the project cannot read (bad usage). Its message never holds the value. */
export class SubjectError extends Error {
  override name = 'SubjectError';
}

/** Resolves `text` (`email:ann@x.com`, `user_id:42`, or a profile id). */
export async function resolveSubject(
  project: Project,
  warehouse: Warehouse,
  text: string,
  known?: LookupTables,
): Promise<Subject> {
  const identityTypes = Object.keys(project.identity?.id_types ?? {});
  // Without identity.yml any `type:` names the key column the syncs use (email, user_id…).
  const typed = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(text.trim())?.[1];
  const idTypes = project.identity ? identityTypes : typed ? [typed] : [];
  let query: ReturnType<typeof parseProfileQuery>;
  try {
    query = parseProfileQuery(text, idTypes);
  } catch (error) {
    if (!(error instanceof ProfileQueryError)) throw error;
    // The message quotes the input: name only the type part.
    throw new SubjectError(
      typed && project.identity
        ? `unknown id type '${typed}': identity.yml has ${identityTypes.join(', ')}`
        : 'an identifier is empty: give type:value or a profile id',
    );
  }
  const tables = known ?? (await lookupTables(project, warehouse));
  if (query.kind === 'profile_id') {
    const subject: Subject = {
      idType: 'profile_id',
      value: query.profileId,
      hash: identifierHash(query.profileId),
    };
    if (tables.identity_map) {
      const found = await findProfile(project, warehouse, tables, query);
      if (found.found) subject.profileId = found.profileId;
    }
    return subject;
  }
  const normalized =
    (project.identity &&
      (await normalizeIdentifier(warehouse, project.identity, query.idType, query.value))) ??
    query.value.trim();
  const subject: Subject = { idType: query.idType, value: normalized, hash: identifierHash(normalized) };
  if (tables.identity_map) {
    const found = await findProfile(project, warehouse, tables, query);
    if (found.found) subject.profileId = found.profileId;
  }
  return subject;
}
