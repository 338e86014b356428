/** `weft dbt exposures`, and the `--dbt` step of `weft build` (dbt build before weft's). */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { Project } from '../config/types.js';
import { exposuresYaml, syncExposures } from '../dbt/exposures.js';
import { DbtLineage } from '../dbt/lineage.js';
import { DbtNotInstalledError, runDbtBuild } from '../dbt/run-dbt.js';
import { type GlobalOptions, withContext } from './context.js';
import { ReportedFailure, UsageError } from './errors.js';
import type { Output } from './output.js';

interface ExposuresOptions extends GlobalOptions {
  out?: string;
}

export function registerDbt(program: Command): void {
  const dbt = program
    .command('dbt')
    .description("work with weft.yml's dbt project (dbt: project_dir)")
    .addHelpText(
      'after',
      `
With \`dbt: { project_dir: ../analytics }\` in weft.yml, the models, seeds and snapshots of dbt's
target/manifest.json are the source \`dbt\`: \`from: dbt.customers\` in identity, profiles,
audiences and syncs, \`{{source 'dbt' 'customers'}}\` in SQL.

Examples:
  weft dbt exposures
  weft build --dbt`,
    );
  dbt
    .command('exposures')
    .description('write a dbt exposures.yml declaring every weft sync as a dbt exposure')
    .option('--out <file>', 'where to write it (default: <dbt project_dir>/models/weft_exposures.yml)')
    .addHelpText(
      'after',
      `
Each sync becomes an exposure named weft_<sync> (type application) whose depends_on lists the
dbt models it reads, directly (from: dbt.customers) or through weft's models, identity,
profiles and audiences. Owner: weft.yml dbt.owner {name, email}, else the project name.
dbt's lineage and docs then show where the data goes. The output is sorted: rerun it in CI
and commit the file.

Examples:
  weft dbt exposures
  weft dbt exposures --out ../analytics/models/weft_exposures.yml
  weft dbt exposures --json`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ExposuresOptions>();
      await withContext(opts, async ({ out, project }) => {
        const file = exposuresFile(project, opts.out);
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, exposuresYaml(project));
        const exposures = syncExposures(project);
        out.result({
          file,
          exposures: exposures.map((e) => ({ name: e.name, depends_on: e.depends_on ?? [] })),
        });
        out.info(`✓ ${exposures.length} exposure${exposures.length === 1 ? '' : 's'} written to ${file}`);
      });
    });
}

function exposuresFile(project: Project, option: string | undefined): string {
  if (option) return path.resolve(option);
  if (!project.config.dbt)
    throw new UsageError('weft.yml has no dbt: block: add `dbt: { project_dir: … }`, or pass --out FILE');
  return path.resolve(project.dir, project.config.dbt.project_dir, 'models/weft_exposures.yml');
}

/**
 * `weft build --dbt`: runs `dbt build --select +<model>…` for every dbt model the project reads.
 * Returns false when dbt failed (weft's build still runs; the dbt test gate holds the syncs).
 */
export async function buildDbtFirst(out: Output, project: Project): Promise<boolean> {
  if (!project.config.dbt)
    throw new UsageError('--dbt needs a dbt: block in weft.yml (dbt: { project_dir: … })');
  const models = new DbtLineage(project).modelsOfProject();
  if (models.length === 0) {
    out.info('dbt: the project reads no dbt model; nothing to build');
    return true;
  }
  out.info(`dbt build --select ${models.map((m) => `+${m}`).join(' ')}`);
  try {
    const result = await runDbtBuild(project, models, (line) => out.info(`  dbt | ${line}`));
    out.result({ dbt: { args: result.args, exit_code: result.exitCode } });
    if (result.exitCode === 0) return true;
    out.error(`✗ dbt build failed (exit ${result.exitCode}); syncs whose dbt tests failed will not run`);
    return false;
  } catch (error) {
    if (!(error instanceof DbtNotInstalledError)) throw error;
    out.error(`✗ ${error.message}`);
    throw new ReportedFailure(2);
  }
}
