/**
 * The preview read from `audience_members`: which audiences are built (and when) from
 * `audience_state`, then size + arms + overlaps in one query over the members table and a
 * sample of its ids joined to `profiles`. No audience view is evaluated.
 */
import { relationColumns } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import { profileTables } from '../../profiles/build.js';
import type { Warehouse } from '../../warehouse/types.js';
import { audienceMembersRelation } from '../members.js';
import { SPLIT_COLUMN } from '../splits.js';
import { readAudienceState } from '../state.js';
import { AudienceNotBuiltError } from './errors.js';
import { membersOverlapSql, membersSampleSql } from './members-sql.js';
import { type AudiencePreview, sortOverlaps } from './preview-types.js';
import { audienceView, findAudience } from './views.js';

export async function previewFromMembers(
  warehouse: Warehouse,
  project: Project,
  name: string,
  limit: number,
): Promise<AudiencePreview> {
  const { dialect } = warehouse;
  const config = findAudience(project, name);
  const state = await readAudienceState(warehouse, project);
  const recorded = state.get(name);
  if (!recorded) {
    throw new AudienceNotBuiltError(
      `audience '${name}' is not built yet: run \`weft build\` (or \`weft build --select audiences\`)`,
    );
  }
  const others = project.audiences.map((a) => a.value.name).filter((n) => n !== name);
  const built = others.filter((n) => state.has(n));
  const members = audienceMembersRelation(project);
  const hasSplits = config.splits !== undefined;
  // The view's columns as the build made them (config columns if the view is gone).
  const viewColumns = (await relationColumns(warehouse, audienceView(project, name))).map((c) => c.name);
  const columns =
    viewColumns.length > 0
      ? viewColumns
      : ['profile_id', ...config.columns, ...(hasSplits ? [SPLIT_COLUMN] : [])];
  const counts = await warehouse.query(membersOverlapSql(dialect, { members, target: name, others: built }));
  const sample = await warehouse.query(
    membersSampleSql(dialect, {
      members,
      profiles: profileTables(project).profiles,
      target: name,
      columns,
      hasSplits,
      limit,
    }),
  );
  const size = new Map<string, number>();
  const overlap = new Map<string, number>();
  const armSize = new Map<string, number>();
  for (const row of counts) {
    const audience = String(row.audience);
    size.set(audience, (size.get(audience) ?? 0) + Number(row.size));
    overlap.set(audience, (overlap.get(audience) ?? 0) + Number(row.overlap));
    if (audience === name && row.split != null) armSize.set(String(row.split), Number(row.size));
  }
  return {
    name,
    ...(config.description !== undefined ? { description: config.description } : {}),
    source: 'members',
    builtAt: recorded.built_at,
    size: size.get(name) ?? 0,
    arms: Object.keys(config.splits ?? {}).map((arm) => ({ arm, size: armSize.get(arm) ?? 0 })),
    columns,
    sample,
    // Audiences without members have no rows in the table: they overlap in 0 of 0.
    overlaps: sortOverlaps(
      built.map((n) => ({ audience: n, size: size.get(n) ?? 0, overlap: overlap.get(n) ?? 0 })),
    ),
    notBuilt: others.filter((n) => !state.has(n)),
  };
}
