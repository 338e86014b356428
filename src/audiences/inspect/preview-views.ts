/**
 * The preview read from the views, for a warehouse whose last build predates `audience_members`:
 * two queries, size + arms + overlaps in one (every view evaluated), a sample in another.
 */
import { relationColumns } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { overlapSql } from './overlap-sql.js';
import { type AudiencePreview, sortOverlaps } from './preview-types.js';
import { audienceView, builtView, findAudience, isBuilt } from './views.js';

export async function previewFromViews(
  warehouse: Warehouse,
  project: Project,
  name: string,
  limit: number,
): Promise<AudiencePreview> {
  const config = findAudience(project, name);
  const target = await builtView(warehouse, project, name);
  const others = [];
  const notBuilt = [];
  for (const { value } of project.audiences) {
    if (value.name === name) continue;
    if (await isBuilt(warehouse, project, value.name))
      others.push({ name: value.name, relation: audienceView(project, value.name) });
    else notBuilt.push(value.name);
  }
  const columns = (await relationColumns(warehouse, target)).map((c) => c.name);
  const splits = config.splits;
  const hasSplits = splits !== undefined && columns.includes('split');
  const counts = await warehouse.query(overlapSql(warehouse.dialect, { target, hasSplits, others }));
  const sample = await warehouse.query(
    `SELECT * FROM ${warehouse.dialect.qualify(target)} ORDER BY profile_id LIMIT ${limit}`,
  );
  const of = (kind: string) => counts.filter((r) => r.kind === kind);
  const armSize = new Map(of('arm').map((r) => [String(r.name), Number(r.size)]));
  return {
    name,
    ...(config.description !== undefined ? { description: config.description } : {}),
    source: 'views',
    builtAt: null,
    size: Number(of('size')[0]?.size ?? 0),
    arms: Object.keys(hasSplits ? splits : {}).map((arm) => ({ arm, size: armSize.get(arm) ?? 0 })),
    columns,
    sample,
    overlaps: sortOverlaps(
      of('overlap').map((r) => ({
        audience: String(r.name),
        size: Number(r.size),
        overlap: Number(r.overlap),
      })),
    ),
    notBuilt,
  };
}
