/**
 * The gate on dbt tests: a sync does not run when a test on one of its dbt models failed or
 * errored in dbt's latest run (target/run_results.json beside the manifest).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DbtManifest } from './manifest.js';

/** A dbt test that did not pass on a model a sync reads (or the model's own build that errored). */
export interface FailedDbtTest {
  /** The test's name, e.g. `not_null_customers_email` (a model's unique_id when its build errored). */
  test: string;
  /** The dbt model it checks. */
  model: string;
  status: 'fail' | 'error';
  message?: string;
}

/** Results of dbt's latest run by node unique_id; empty when there is no run_results.json. */
export async function readRunResults(
  manifestFile: string,
): Promise<Map<string, { status: string; message?: string }>> {
  const file = path.join(path.dirname(manifestFile), 'run_results.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return new Map();
  }
  const parsed = JSON.parse(text) as { results?: Array<Record<string, unknown>> };
  const results = new Map<string, { status: string; message?: string }>();
  for (const r of parsed.results ?? []) {
    const entry: { status: string; message?: string } = { status: String(r.status) };
    if (typeof r.message === 'string') entry.message = r.message;
    results.set(String(r.unique_id), entry);
  }
  return results;
}

/** The tests on `models` (dbt model names) whose latest result is `fail` or `error`, and the models that errored, sorted. */
export function failedTests(
  manifest: DbtManifest,
  results: Map<string, { status: string; message?: string }>,
  models: readonly string[],
): FailedDbtTest[] {
  const byId = new Map(manifest.relations.map((r) => [r.uniqueId, r.name]));
  const failed: FailedDbtTest[] = [];
  for (const test of manifest.tests) {
    const result = results.get(test.uniqueId);
    if (result?.status !== 'fail' && result?.status !== 'error') continue;
    for (const node of test.dependsOn) {
      const model = byId.get(node);
      if (model === undefined || !models.includes(model)) continue;
      const entry: FailedDbtTest = { test: test.name, model, status: result.status };
      if (result.message) entry.message = result.message;
      failed.push(entry);
    }
  }
  // A model whose own build errored holds its syncs too (its tests were skipped, its data is stale).
  for (const relation of manifest.relations) {
    if (!models.includes(relation.name) || results.get(relation.uniqueId)?.status !== 'error') continue;
    const entry: FailedDbtTest = { test: relation.uniqueId, model: relation.name, status: 'error' };
    const message = results.get(relation.uniqueId)?.message;
    if (message) entry.message = message;
    failed.push(entry);
  }
  return failed.sort((a, b) => (a.test < b.test ? -1 : a.test > b.test ? 1 : 0));
}
