/**
 * buildAudiences: creates each audience's view (and its split arms' views) in dependency order.
 * A failing audience is reported with its file; audiences reading it are skipped; every other
 * audience still builds (like models in src/build/build.ts).
 */
import { relationKind } from '../build/relations.js';
import type { Project } from '../config/types.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { type AudienceOptions, type CompiledAudience, compileEach } from './compile.js';
import { SPLIT_COLUMN } from './splits.js';

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

/** Creates or replaces every audience view. Needs the profiles table (and identity_rows for events). */
export async function buildAudiences(
  project: Project,
  warehouse: Warehouse,
  options: BuildAudiencesOptions = {},
): Promise<AudiencesReport> {
  const started = Date.now();
  const entries = compileEach(project, warehouse.dialect, options);
  const report: AudiencesReport = { audiences: [], failed: [], skipped: [], ms: 0 };
  const emit = options.onEvent ?? (() => {});
  /** Audience name → why it did not build (for its dependents). */
  const notBuilt = new Map<string, string>();
  if (entries.length > 0) await warehouse.execute(warehouse.dialect.createSchema(project.config.schema));
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
      const sizes = await createViews(warehouse, entry.compiled);
      report.audiences.push({
        ...base,
        relation: entry.compiled.relation,
        ...sizes,
        ms: Date.now() - audienceStarted,
      });
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
  report.ms = Date.now() - started;
  return report;
}

/** Creates the audience view and its arm views; returns the sizes (one query over the view). */
async function createViews(
  warehouse: Warehouse,
  audience: CompiledAudience,
): Promise<Pick<BuiltAudience, 'size' | 'arms'>> {
  await createOrReplaceView(warehouse, audience.relation, audience.sql);
  for (const arm of audience.arms) await createOrReplaceView(warehouse, arm.relation, arm.sql);
  const { dialect } = warehouse;
  const view = dialect.qualify(audience.relation);
  if (audience.arms.length === 0) {
    const rows = await warehouse.query(`SELECT count(*) AS size FROM ${view}`);
    return { size: Number(rows[0]?.size ?? 0), arms: [] };
  }
  const split = dialect.quoteIdent(SPLIT_COLUMN);
  const rows = await warehouse.query(
    `SELECT ${split} AS arm, count(*) AS size FROM ${view} GROUP BY ${split}`,
  );
  const sizeOf = new Map(rows.map((r) => [String(r.arm), Number(r.size)]));
  return {
    size: [...sizeOf.values()].reduce((sum, n) => sum + n, 0),
    arms: audience.arms.map((arm) => ({
      name: arm.name,
      relation: arm.relation,
      size: sizeOf.get(arm.name) ?? 0,
    })),
  };
}

/** `CREATE OR REPLACE VIEW`, dropping a table of that name first (e.g. from an older weft). */
async function createOrReplaceView(warehouse: Warehouse, relation: RelationRef, sql: string): Promise<void> {
  if ((await relationKind(warehouse, relation)) === 'table') {
    await warehouse.execute(warehouse.dialect.dropRelation(relation, 'table'));
  }
  await warehouse.execute(warehouse.dialect.createView(relation, sql));
}
