/** The dbt test gate of one sync: which failed dbt tests keep it from running. */
import type { Project, SyncConfig } from '../config/types.js';
import { SyncUnavailableError } from '../sync/resolve.js';
import { DbtLineage } from './lineage.js';
import { manifestPath, readDbtManifest } from './manifest.js';
import { type FailedDbtTest, failedTests, readRunResults } from './run-results.js';

/** A sync held back because dbt tests on its models failed (a per-sync failure, exit 1). */
export class DbtTestsFailedError extends SyncUnavailableError {
  override name = 'DbtTestsFailedError';

  constructor(
    readonly sync: string,
    readonly tests: FailedDbtTest[],
  ) {
    super(`${sync}: not run: ${describeFailedTests(tests)}`);
  }
}

/** "dbt tests failed in the latest dbt run: not_null_customers_email (customers, fail), …" */
export function describeFailedTests(tests: FailedDbtTest[]): string {
  const list = tests.map((t) => `${t.test} (${t.model}, ${t.status})`).join(', ');
  return `dbt tests failed in the latest dbt run (run_results.json): ${list}; fix them and run \`dbt build\` (or \`weft build --dbt\`)`;
}

/** The failed dbt tests on the dbt models `sync` reads; [] when the project has no `dbt:`. */
export async function failedDbtTestsOf(project: Project, sync: SyncConfig): Promise<FailedDbtTest[]> {
  const dbt = project.config.dbt;
  if (!dbt) return [];
  const file = manifestPath(project.dir, dbt);
  const models = new DbtLineage(project).modelsOfSync(sync);
  if (models.length === 0) return [];
  return failedTests(await readDbtManifest(file), await readRunResults(file), models);
}

/** Throws DbtTestsFailedError when dbt tests on `sync`'s models failed. */
export async function assertDbtTestsPassed(project: Project, sync: SyncConfig): Promise<void> {
  const failed = await failedDbtTestsOf(project, sync);
  if (failed.length > 0) throw new DbtTestsFailedError(sync.name, failed);
}
