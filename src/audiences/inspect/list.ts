/** `weft audience list`: every declared audience with its size and last change at the last build. */
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { readAudienceState } from '../state.js';

/** One audience as `weft audience list` shows it. */
export interface AudienceListing {
  name: string;
  description?: string;
  /** The audience file, relative to the project. */
  path: string;
  /** Members at the last build; null when it was never built. */
  size: number | null;
  /** When the last build ran / when the membership last changed; null when never built. */
  built_at: Date | null;
  changed_at: Date | null;
}

/** The project's audiences in file order, with what `audience_state` recorded about each. */
export async function listAudiences(warehouse: Warehouse, project: Project): Promise<AudienceListing[]> {
  const state = await readAudienceState(warehouse, project);
  return project.audiences.map(({ path, value }) => {
    const row = state.get(value.name);
    return {
      name: value.name,
      ...(value.description !== undefined ? { description: value.description } : {}),
      path,
      size: row?.size ?? null,
      built_at: row?.built_at ?? null,
      changed_at: row?.changed_at ?? null,
    };
  });
}
