/**
 * `<state_schema>.audience_sizes`: one row per (audience, build) with its member count, appended
 * after each build next to `audience_state` (which keeps only the last build). The console's
 * audience list draws each audience's trend from it. Only counts are stored, never members.
 */
import type { Project } from '../config/types.js';
import type { ColumnDef, RelationRef, Warehouse } from '../warehouse/types.js';
import type { MeasuredAudience } from './state.js';

/** Columns of `audience_sizes`. */
export const AUDIENCE_SIZES_COLUMNS: ColumnDef[] = [
  { name: 'audience', type: 'string' },
  { name: 'built_at', type: 'timestamp' },
  { name: 'size', type: 'bigint' },
];

/** Builds kept: older rows are deleted at each append. */
export const SIZES_KEPT = 90;

/** `<state_schema>.audience_sizes`. */
export function audienceSizesRelation(project: Project): RelationRef {
  return { schema: project.config.state_schema, name: 'audience_sizes' };
}

/** Appends one row per measured audience at `builtAt`, keeping the last SIZES_KEPT builds. */
export async function recordAudienceSizes(
  warehouse: Warehouse,
  project: Project,
  measured: MeasuredAudience[],
  builtAt: Date = new Date(),
): Promise<void> {
  if (measured.length === 0) return;
  const { dialect: d } = warehouse;
  const sizes = audienceSizesRelation(project);
  await warehouse.execute(d.createSchema(sizes.schema));
  await warehouse.execute(d.createTable(sizes, AUDIENCE_SIZES_COLUMNS));
  const rows = measured.map(
    (a) =>
      `SELECT ${d.cast(d.literal(a.name), 'string')} AS audience, ${d.literal(builtAt)} AS built_at, ${d.cast(d.literal(a.size), 'bigint')} AS size`,
  );
  await warehouse.execute(
    d.insertSelect(sizes, ['audience', 'built_at', 'size'], rows.join('\nUNION ALL\n')),
  );
  // Every build writes all its audiences at one built_at: keep the newest SIZES_KEPT builds.
  await warehouse.execute(`DELETE FROM ${d.qualify(sizes)} WHERE built_at < (
  SELECT min(k.built_at) FROM (
    SELECT DISTINCT built_at FROM ${d.qualify(sizes)} ORDER BY built_at DESC LIMIT ${SIZES_KEPT}
  ) AS k
)`);
}

/** Each audience's sizes, oldest first; empty when nothing was recorded yet. */
export async function readAudienceSizes(
  warehouse: Warehouse,
  project: Project,
): Promise<Map<string, Array<{ built_at: Date; size: number }>>> {
  const { dialect: d } = warehouse;
  const sizes = audienceSizesRelation(project);
  if ((await warehouse.query(d.relationKindQuery(sizes))).length === 0) return new Map();
  const rows = await warehouse.query(
    `SELECT audience, built_at, size FROM ${d.qualify(sizes)} ORDER BY audience, built_at`,
  );
  const out = new Map<string, Array<{ built_at: Date; size: number }>>();
  for (const row of rows) {
    const name = String(row.audience);
    out.set(name, [...(out.get(name) ?? []), { built_at: row.built_at as Date, size: Number(row.size) }]);
  }
  return out;
}
