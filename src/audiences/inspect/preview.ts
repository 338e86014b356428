/** `weft audience preview`: an audience's size, split arms, a sample of members, and overlaps. */
import { relationColumns } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import type { Row, Warehouse } from '../../warehouse/types.js';
import { overlapSql } from './overlap-sql.js';
import { audienceView, builtView, findAudience, isBuilt } from './views.js';

/** Another audience's size and how many members it shares with the previewed one. */
export interface AudienceOverlap {
  audience: string;
  size: number;
  overlap: number;
}

/** What `previewAudience` returns. */
export interface AudiencePreview {
  name: string;
  description?: string;
  size: number;
  /** Members per split arm, in the order of `splits` (empty without splits). */
  arms: Array<{ arm: string; size: number }>;
  /** The view's columns, in order. */
  columns: string[];
  /** Up to `limit` members, ordered by profile id. */
  sample: Row[];
  /** Every other built audience, largest overlap first. */
  overlaps: AudienceOverlap[];
  /** Other audiences whose views are not built (left out of `overlaps`). */
  notBuilt: string[];
}

/**
 * Previews audience `name`: two queries, size + arms + overlaps in one, a sample in another.
 * Throws UnknownAudienceError / AudienceNotBuiltError (see errors.ts).
 */
export async function previewAudience(
  warehouse: Warehouse,
  project: Project,
  name: string,
  options: { limit?: number } = {},
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
  const { dialect } = warehouse;
  const sample = await warehouse.query(
    `SELECT * FROM ${dialect.qualify(target)} ORDER BY profile_id LIMIT ${Math.max(0, Math.trunc(options.limit ?? 10))}`,
  );
  const of = (kind: string) => counts.filter((r) => r.kind === kind);
  const armSize = new Map(of('arm').map((r) => [String(r.name), Number(r.size)]));
  return {
    name,
    ...(config.description !== undefined ? { description: config.description } : {}),
    size: Number(of('size')[0]?.size ?? 0),
    arms: Object.keys(hasSplits ? splits : {}).map((arm) => ({ arm, size: armSize.get(arm) ?? 0 })),
    columns,
    sample,
    overlaps: of('overlap')
      .map((r) => ({ audience: String(r.name), size: Number(r.size), overlap: Number(r.overlap) }))
      .sort((a, b) => b.overlap - a.overlap || a.audience.localeCompare(b.audience)),
    notBuilt,
  };
}
