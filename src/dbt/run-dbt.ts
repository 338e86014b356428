/** Runs `dbt build` in the dbt project for the models weft reads (and their parents). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Project, SyncConfig } from '../config/types.js';
import { SyncUnavailableError } from '../sync/resolve.js';
import { DbtLineage } from './lineage.js';

/** `dbt` is not installed (not on PATH). */
export class DbtNotInstalledError extends Error {
  override name = 'DbtNotInstalledError';
}

/** How a `dbt build` went. */
export interface DbtBuildResult {
  /** The arguments dbt ran with. */
  args: string[];
  /** dbt's exit code (0: every model built and every test passed). */
  exitCode: number;
}

/** `--select +a +b`: each model with everything upstream of it; `dbt build` adds their tests. */
export function dbtBuildArgs(models: readonly string[]): string[] {
  return ['build', '--select', ...models.map((m) => `+${m}`)];
}

/**
 * Runs `dbt build --select +<model>…` in weft.yml's `dbt.project_dir`, forwarding dbt's output
 * lines to `onLine` (never stdout: `--json` output stays JSON).
 */
export function runDbtBuild(
  project: Project,
  models: readonly string[],
  onLine: (line: string) => void,
): Promise<DbtBuildResult> {
  const dbt = project.config.dbt;
  if (!dbt) throw new Error('weft.yml has no dbt: block: add `dbt: { project_dir: … }` to use --dbt');
  const args = dbtBuildArgs(models);
  const cwd = path.resolve(project.dir, dbt.project_dir);
  return new Promise((resolve, reject) => {
    const child = spawn('dbt', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    const forward = (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        reject(
          new DbtNotInstalledError(
            '`dbt` is not on PATH: install dbt (e.g. `pip install dbt-duckdb`) or run `dbt build` yourself and drop --dbt',
          ),
        );
      else reject(error);
    });
    child.on('close', (code) => {
      if (pending) onLine(pending);
      resolve({ args, exitCode: code ?? 1 });
    });
  });
}

/**
 * A sync's `build: dbt`: builds its dbt models before it runs. A failed dbt build, or no dbt
 * installed, fails that sync (SyncUnavailableError), never the scheduler.
 */
export async function buildDbtModelsOfSync(
  project: Project,
  sync: SyncConfig,
  onLine: (line: string) => void = () => {},
): Promise<void> {
  if (sync.build !== 'dbt') return;
  const models = new DbtLineage(project).modelsOfSync(sync);
  if (models.length === 0) return;
  try {
    const result = await runDbtBuild(project, models, onLine);
    if (result.exitCode !== 0)
      throw new SyncUnavailableError(
        `${sync.name}: not run: \`dbt ${result.args.join(' ')}\` failed (exit ${result.exitCode})`,
      );
  } catch (error) {
    if (error instanceof DbtNotInstalledError)
      throw new SyncUnavailableError(`${sync.name}: not run: build: dbt: ${error.message}`);
    throw error;
  }
}
