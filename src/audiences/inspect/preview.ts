/**
 * `weft audience preview`: an audience's size, split arms, a sample of members, and overlaps.
 * Reads `audience_members` (the last build's members: one query for size + arms + overlaps, one
 * for the sample); before a build has written that table, falls back to the views.
 */
import { relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { audienceMembersRelation } from '../members.js';
import { previewFromMembers } from './preview-members.js';
import type { AudiencePreview } from './preview-types.js';
import { previewFromViews } from './preview-views.js';
import { findAudience } from './views.js';

/** Options for previewAudience. */
export interface PreviewOptions {
  /** Sample rows (default 10). */
  limit?: number;
}

/**
 * Previews audience `name`. Throws UnknownAudienceError / AudienceNotBuiltError (see errors.ts).
 */
export async function previewAudience(
  warehouse: Warehouse,
  project: Project,
  name: string,
  options: PreviewOptions = {},
): Promise<AudiencePreview> {
  findAudience(project, name);
  const limit = Math.max(0, Math.trunc(options.limit ?? 10));
  const members = audienceMembersRelation(project);
  if ((await relationKind(warehouse, members)) === 'table')
    return previewFromMembers(warehouse, project, name, limit);
  return previewFromViews(warehouse, project, name, limit);
}
