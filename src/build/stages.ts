/**
 * The stages `weft build` runs after the SQL models: the identity graph (models/identity.yml),
 * then profiles (models/profiles.yml), then audiences (models/audiences/*.yml). Each runs only
 * when its files exist and it was not deselected; a stage whose inputs failed is skipped, never
 * run on stale data.
 */
import { type AudienceEvent, type AudiencesReport, buildAndMeasureAudiences } from '../audiences/index.js';
import { recordAudienceSizes } from '../audiences/size-history.js';
import { recordAudienceState } from '../audiences/state.js';
import { type ColumnsOf, checkIdentityColumns, checkProfilesColumns } from '../config/column-check.js';
import type { ConfigIssue } from '../config/issues.js';
import { formatIssue } from '../config/issues.js';
import type { Project } from '../config/types.js';
import { buildIdentity, type IdentityEvent, type IdentityReport } from '../identity/index.js';
import { applySuppressions } from '../privacy/apply-build.js';
import { buildProfiles, type ProfilesReport } from '../profiles/index.js';
import { sourceRelation } from '../sync/resolve.js';
import type { Warehouse } from '../warehouse/types.js';
import { relationColumns } from './relations.js';

/** Names `--select` accepts besides model names. */
export const STAGE_NAMES = ['identity', 'profiles', 'audiences'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** How a stage ended, with its report when it ran. */
export interface StageResult<Report> {
  status: 'success' | 'error' | 'skipped';
  report?: Report;
  error?: string;
  /** Why it was skipped. */
  skipped_because?: string;
  ms: number;
}

/** The results of the stages that were due (absent when not configured or not selected). */
export interface StageResults {
  identity?: StageResult<IdentityReport>;
  profiles?: StageResult<ProfilesReport>;
  audiences?: StageResult<AudiencesReport>;
}

/** Splits `--select` into model selectors and stage names. */
export function splitSelect(select: string | undefined): { models?: string; stages?: Set<StageName> } {
  if (select === undefined) return {};
  const tokens = select.split(/[\s,]+/).filter(Boolean);
  const stages = new Set(
    tokens.filter((t): t is StageName => (STAGE_NAMES as readonly string[]).includes(t)),
  );
  const models = tokens.filter((t) => !stages.has(t as StageName)).join(' ');
  return { models: models === '' ? (stages.size > 0 ? '' : select) : models, stages };
}

/** Runs identity, profiles then audiences as configured and selected. */
export async function runStages(
  project: Project,
  warehouse: Warehouse,
  options: {
    /** Stage names selected with --select; undefined = all configured stages. */
    selected?: Set<StageName>;
    /** Models that failed or were skipped in this build. */
    failedModels: Set<string>;
    fullRefresh: boolean;
    onIdentityEvent?: (event: IdentityEvent) => void;
    onAudienceEvent?: (event: AudienceEvent) => void;
  },
): Promise<StageResults> {
  const wanted = (name: StageName) => options.selected === undefined || options.selected.has(name);
  const results: StageResults = {};
  // Source and model columns, asked once for both stages' checks (identity changes neither).
  const columnsOf = warehouseColumns(project, warehouse);
  if (project.identity && wanted('identity')) {
    const failedInput = project.identity.sources
      .map((s) => s.from)
      .find((from) => options.failedModels.has(from));
    results.identity = failedInput
      ? skipped(`reads model ${failedInput}, which did not build`)
      : await timed(async () => {
          await assertColumns(await checkIdentityColumns(project, columnsOf));
          const report = await buildIdentity(project, warehouse, {
            fullRefresh: options.fullRefresh,
            onEvent: options.onIdentityEvent,
          });
          // People who asked to be erased leave the outputs before profiles and audiences read them.
          await applySuppressions(project, warehouse);
          return report;
        });
  }
  if (project.profiles && wanted('profiles')) {
    const identityStatus = results.identity?.status;
    results.profiles =
      identityStatus === 'error' || identityStatus === 'skipped'
        ? skipped('identity did not build')
        : await timed(async () => {
            await assertColumns(await checkProfilesColumns(project, columnsOf));
            return buildProfiles(project, warehouse);
          });
  }
  if (project.audiences.length > 0 && wanted('audiences')) {
    const profilesStatus = results.profiles?.status;
    results.audiences =
      profilesStatus === 'error' || profilesStatus === 'skipped'
        ? skipped('profiles did not build')
        : await runAudiences(project, warehouse, options.onAudienceEvent);
  }
  return results;
}

/** Builds the audiences; the stage fails when any audience failed (the report lists which). */
async function runAudiences(
  project: Project,
  warehouse: Warehouse,
  onEvent?: (event: AudienceEvent) => void,
): Promise<StageResult<AudiencesReport>> {
  const result = await timed(async () => {
    const { report, measures } = await buildAndMeasureAudiences(project, warehouse, { onEvent });
    // Sizes and fingerprints of what was built (one aggregate over audience_members), so
    // `weft audience list` knows the last change.
    const builtAt = new Date();
    await recordAudienceState(warehouse, project, measures, builtAt);
    // …and one row per audience per build, for the console's size trends.
    await recordAudienceSizes(warehouse, project, measures, builtAt);
    return report;
  });
  const report = result.report;
  if (!report || report.failed.length === 0) return result;
  const names = report.failed.map((f) => `${f.name} (${f.path})`).join(', ');
  return { ...result, status: 'error', error: `${report.failed.length} audience(s) failed: ${names}` };
}

/**
 * The columns of a model or source table in the warehouse (undefined when it is not there), each
 * relation asked once per check: a metadata query costs a round trip (and on BigQuery a job).
 */
function warehouseColumns(project: Project, warehouse: Warehouse): ColumnsOf {
  const asked = new Map<string, Promise<string[] | undefined>>();
  return async (from) => {
    let relation: ReturnType<typeof sourceRelation>;
    try {
      relation = sourceRelation(project, from);
    } catch {
      return undefined;
    }
    const id = `${relation.schema}.${relation.name}`;
    let columns = asked.get(id);
    if (!columns) {
      columns = relationColumns(warehouse, relation).then((cs) =>
        cs.length > 0 ? cs.map((c) => c.name) : undefined,
      );
      asked.set(id, columns);
    }
    return columns;
  };
}

/** A column the file names that its source lacks fails the stage with file:line and field. */
async function assertColumns(issues: ConfigIssue[]): Promise<void> {
  if (issues.length > 0) throw new Error(issues.map(formatIssue).join('\n'));
}

function skipped<T>(because: string): StageResult<T> {
  return { status: 'skipped', skipped_because: because, ms: 0 };
}

async function timed<T>(run: () => Promise<T>): Promise<StageResult<T>> {
  const started = Date.now();
  try {
    return { status: 'success', report: await run(), ms: Date.now() - started };
  } catch (error) {
    return {
      status: 'error',
      error: error instanceof Error ? error.message : String(error),
      ms: Date.now() - started,
    };
  }
}
