/**
 * buildAudiences: creates each audience's view (and its split arms' views) in dependency order,
 * and writes every audience's members once into `audience_members` (see members-table.ts); the
 * sizes come from one aggregate over that table. A failing audience is reported with its file;
 * audiences reading it are skipped; every other audience still builds (like models in
 * src/build/build.ts).
 */
import { relationKind } from '../build/relations.js';
import type { Project } from '../config/types.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { type AudienceOptions, type CompiledAudience, compileEach } from './compile.js';
import { type AudienceMeasure, measureMembers } from './measure.js';
import { audienceMembersRelation, RESERVED_AUDIENCE_NAME } from './members.js';
import { type MembersWriter, openMembersWriter } from './members-table.js';

/** One audience that was built. */
export interface BuiltAudience {
  name: string;
  path: string;
  relation: RelationRef;
  /** Profiles in the audience after the build. */
  size: number;
  /** Per split arm (in the order written): its view and size. */
  arms: Array<{ name: string; relation: RelationRef; size: number }>;
  ms: number;
}

/** What buildAudiences did: built audiences in build order, plus the ones that failed or were skipped. */
export interface AudiencesReport {
  audiences: BuiltAudience[];
  failed: Array<{ name: string; path: string; error: string }>;
  skipped: Array<{ name: string; path: string; skipped_because: string }>;
  ms: number;
}

/** Progress events, in order. */
export type AudienceEvent =
  | { type: 'audience_start'; name: string; index: number; total: number }
  | {
      type: 'audience_done';
      name: string;
      status: 'success' | 'error' | 'skipped';
      index: number;
      total: number;
    };

/** Options for buildAudiences. */
export interface BuildAudiencesOptions extends AudienceOptions {
  onEvent?: (event: AudienceEvent) => void;
}

/** Creates or replaces every audience view and the members table; the report has their sizes. */
export async function buildAudiences(
  project: Project,
  warehouse: Warehouse,
  options: BuildAudiencesOptions = {},
): Promise<AudiencesReport> {
  return (await buildAndMeasureAudiences(project, warehouse, options)).report;
}

/** buildAudiences, plus the measure (size, fingerprint) of each built audience for `audience_state`. */
export async function buildAndMeasureAudiences(
  project: Project,
  warehouse: Warehouse,
  options: BuildAudiencesOptions = {},
): Promise<{ report: AudiencesReport; measures: AudienceMeasure[] }> {
  const started = Date.now();
  const entries = compileEach(project, warehouse.dialect, options);
  const report: AudiencesReport = { audiences: [], failed: [], skipped: [], ms: 0 };
  if (entries.length === 0) return { report, measures: [] };
  const emit = options.onEvent ?? (() => {});
  /** Audience name → why it did not build (for its dependents). */
  const notBuilt = new Map<string, string>();
  const built: Array<{ entry: CompiledAudience; ms: number }> = [];
  await warehouse.execute(warehouse.dialect.createSchema(project.config.schema));
  const members = audienceMembersRelation(project);
  const writer = await openMembersWriter(warehouse, members);
  try {
    for (const [index, entry] of entries.entries()) {
      const total = entries.length;
      const base = { name: entry.name, path: entry.path };
      const blocker = entry.dependsOn.find((d) => notBuilt.has(d));
      if (blocker !== undefined) {
        const because = `reads audience ${blocker}, which ${notBuilt.get(blocker)}`;
        report.skipped.push({ ...base, skipped_because: because });
        notBuilt.set(entry.name, 'was skipped');
        emit({ type: 'audience_done', name: entry.name, status: 'skipped', index, total });
        continue;
      }
      emit({ type: 'audience_start', name: entry.name, index, total });
      const audienceStarted = Date.now();
      try {
        if (entry.error || !entry.compiled) throw entry.error ?? new Error('not compiled');
        await buildOne(warehouse, writer, entry.compiled);
        built.push({ entry: entry.compiled, ms: Date.now() - audienceStarted });
        emit({ type: 'audience_done', name: entry.name, status: 'success', index, total });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report.failed.push({
          ...base,
          error: message.startsWith(entry.path) ? message : `${entry.path}: ${message}`,
        });
        notBuilt.set(entry.name, `failed (${entry.path})`);
        emit({ type: 'audience_done', name: entry.name, status: 'error', index, total });
      }
    }
    await writer.commit([...notBuilt.keys()]);
  } finally {
    await writer.discard();
  }
  const measured = await measureMembers(
    warehouse,
    members,
    built.map((b) => b.entry.name),
  );
  const measures = built.map((b) => measured.get(b.entry.name) as AudienceMeasure);
  report.audiences = built.map(({ entry, ms }, i) => {
    const measure = measures[i] as AudienceMeasure;
    return {
      name: entry.name,
      path: entry.path,
      relation: entry.relation,
      size: measure.size,
      arms: entry.arms.map((arm) => ({
        name: arm.name,
        relation: arm.relation,
        size: measure.arms.get(arm.name) ?? 0,
      })),
      ms,
    };
  });
  report.ms = Date.now() - started;
  return { report, measures };
}

/** Creates the audience view and its arm views, then adds its members to the members table. */
async function buildOne(
  warehouse: Warehouse,
  writer: MembersWriter,
  audience: CompiledAudience,
): Promise<void> {
  if (audience.name.toLowerCase() === RESERVED_AUDIENCE_NAME) {
    throw new Error(
      `the audience name '${audience.name}' is reserved: weft writes every audience's members to the table audience_${RESERVED_AUDIENCE_NAME}; rename the audience`,
    );
  }
  await createOrReplaceView(warehouse, audience.relation, audience.sql);
  for (const arm of audience.arms) await createOrReplaceView(warehouse, arm.relation, arm.sql);
  await writer.add({ name: audience.name, view: audience.relation, hasSplits: audience.arms.length > 0 });
}

/** `CREATE OR REPLACE VIEW`, dropping a table of that name first (e.g. from an older weft). */
async function createOrReplaceView(warehouse: Warehouse, relation: RelationRef, sql: string): Promise<void> {
  if ((await relationKind(warehouse, relation)) === 'table') {
    await warehouse.execute(warehouse.dialect.dropRelation(relation, 'table'));
  }
  await warehouse.execute(warehouse.dialect.createView(relation, sql));
}
