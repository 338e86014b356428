/** `weft build`: run models in DAG order in the warehouse and report rows and timings. */
import type { Command } from 'commander';
import { buildProject } from '../build/index.js';
import type { IdentityEvent } from '../identity/index.js';
import { type AfterBuildLoad, loadAfterBuild } from '../realtime/load/after-build.js';
import { fingerprintBeforeBuild } from '../schedule/build/record-build.js';
import { stageLines } from './build-report.js';
import { type GlobalOptions, withContext } from './context.js';
import { buildDbtFirst } from './dbt.js';
import { ReportedFailure } from './errors.js';
import { formatCount, formatMs, formatTable } from './format.js';

interface BuildOptions extends GlobalOptions {
  select?: string;
  fullRefresh?: boolean;
  dbt?: boolean;
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description(
      'run models in dependency order in the warehouse, then the identity graph, profiles and audiences',
    )
    .option(
      '-s, --select <models>',
      "build only these models: 'a', '+a' (and its parents), 'a+' (and its children)",
    )
    .option('--full-refresh', 'rebuild incremental models from scratch')
    .option(
      '--dbt',
      'first run `dbt build` (weft.yml dbt:) for the dbt models the project reads, with their parents',
    )
    .addHelpText(
      'after',
      `
A model that fails is reported with its file and the warehouse's error; models that depend on
it are skipped, the others still build, and the command exits 1.
--dbt first runs \`dbt build --select +<model>…\` in weft.yml's dbt project for the dbt models
the project reads (dbt must be on PATH); a failed dbt build exits 1 after weft's build, and
\`weft sync\` then holds the syncs whose dbt models' tests failed.
With a serve: block in weft.yml and models/identity.yml, the build ends by loading the serving
store of \`weft serve\`'s profile API (only changed profiles; see docs/profile-api.md).

Examples:
  weft build
  weft build --select stg_shop_orders+
  weft build --full-refresh --json
  weft build --dbt`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<BuildOptions>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        const started = Date.now();
        const dbtOk = opts.dbt ? await buildDbtFirst(out, project) : true;
        const db = await warehouse();
        // So that `weft schedule` later rebuilds only what changes after this build.
        const recordBuild = await fingerprintBeforeBuild(project, db);
        const result = await buildProject(project, db, {
          select: opts.select,
          fullRefresh: Boolean(opts.fullRefresh),
          onEvent: (e) => {
            if (e.type === 'model_start') out.progress(`  building ${e.name}…`);
          },
          onIdentityEvent: (e) => out.progress(`  identity: ${describeIdentityEvent(e)}`),
          onAudienceEvent: (e) => {
            if (e.type === 'audience_start')
              out.progress(`  audience ${e.name} (${e.index + 1}/${e.total})…`);
          },
        });
        await recordBuild(result);
        if (project.config.serve && project.identity) out.progress('  serving store…');
        const servingStore = await loadAfterBuild(project, db, result);
        const rows = result.models.map((m) => [
          m.name,
          m.materialized,
          m.status,
          m.rows_written ?? '-',
          m.rows_total ?? '-',
          formatMs(m.ms),
        ]);
        out.info(formatTable(['model', 'materialized', 'status', 'rows written', 'rows', 'time'], rows));
        for (const m of result.models) {
          if (m.status === 'error') out.error(`\n✗ ${m.name} (${m.path}) failed:\n  ${m.error}`);
          if (m.status === 'skipped') out.error(`- ${m.name} skipped: ${m.skipped_because}`);
        }
        const stages = stageLines(result);
        if (stages.length > 0) out.info(`\n${stages.join('\n')}`);
        if (servingStore) out.info(servingStoreLine(servingStore));
        const stagesFailed = [result.identity, result.profiles, result.audiences].some(
          (s) => s && s.status !== 'success',
        );
        // Models and stages (identity, profiles, audiences) alike: a failed stage is a failure.
        const steps = [
          ...result.models.map((m) => ({ name: m.name, status: m.status })),
          ...(['identity', 'profiles', 'audiences'] as const).flatMap((name) =>
            result[name] ? [{ name, status: result[name].status }] : [],
          ),
        ];
        const failedSteps = steps.filter((step) => step.status === 'error').map((step) => step.name);
        const failed = failedSteps.length;
        const skipped = steps.filter((step) => step.status === 'skipped').length;
        const ok = steps.length - failed - skipped;
        out.info(
          `\n${failed ? '✗' : '✓'} ${formatCount(ok)} built, ${failed} failed${failed ? ` (${failedSteps.join(', ')})` : ''}, ${skipped} skipped in ${formatMs(Date.now() - started)}`,
        );
        out.result({
          status: result.status,
          models: result.models,
          identity: result.identity,
          profiles: result.profiles,
          audiences: result.audiences,
          ...(servingStore ? { serving_store: servingStore } : {}),
        });
        if (failed || stagesFailed || !dbtOk || servingStore?.status === 'failed')
          throw new ReportedFailure(1);
      });
    });
}

/** The build report's line about the serving store. */
function servingStoreLine(load: AfterBuildLoad): string {
  if (load.status === 'skipped') return `- serving store not loaded: ${load.reason}`;
  if (load.status === 'failed') return `✗ serving store ${load.store} not loaded: ${load.error}`;
  const how = load.mode === 'full' ? `full load (${load.reason})` : 'incremental load';
  return `✓ serving store: ${how}, ${formatCount(load.written)} written, ${formatCount(load.removed)} removed, ${formatCount(load.profiles)} profiles in ${formatMs(load.ms)}`;
}

/** A short progress text for an identity event. */
function describeIdentityEvent(event: IdentityEvent): string {
  switch (event.type) {
    case 'identity_round':
      return `${event.phase} round ${event.round} (${formatCount(event.changed)} changed)`;
    case 'identity_step':
      return event.step;
    default:
      return event.type.replace('identity_', '');
  }
}
