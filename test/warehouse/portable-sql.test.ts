/**
 * Proof without cloud access (issue 8, point 5) for the dialects of warehouses these machines
 * cannot run: the whole demo pipeline (seed, full and incremental build with identity,
 * profiles and audiences, sync plans) runs with the dialect's SQL through
 * TranspilingWarehouse: every statement is (a) snapshotted per dialect under
 * test/golden/<dialect>/pipeline/, (b) parsed by polyglot's real parser for that dialect, and
 * (c) transpiled to DuckDB and executed, and the outputs must equal the DuckDB engine's own.
 * DuckDB and Postgres are not in this loop: their SQL runs on the real engines (the dialect
 * suite, the Postgres end-to-end test). Rewrite the goldens with UPDATE_GOLDEN=1.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadProjectOrThrow } from '../../src/config/index.js';
import type { Project } from '../../src/config/types.js';
import { openWarehouse, registeredEngines } from '../../src/warehouse/registry.js';
import { parseError, type SourceDialect } from '../support/sql-transpile.js';
import { TranspilingWarehouse } from '../support/transpiling-warehouse.js';
import { expectGoldenFile, goldenText, PINNED_NOW } from './portable-sql/golden-text.js';
import { type PipelineRun, runPipeline } from './portable-sql/pipeline.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const goldenDir = path.resolve(here, '../golden');
const PEOPLE = 150;
/** Dialects proven through the transpiler (the others run on real engines). */
const TRANSPILED: readonly string[] = ['bigquery', 'snowflake'];
const engines = registeredEngines().filter((engine) => TRANSPILED.includes(engine.name));

let project: Project;
let baseline: PipelineRun;

// The golden SQL holds dates the pipeline takes from the clock (run timestamps, the
// `destination_usage` day), so the clock is pinned: the files are the same on any day. Time still
// runs forward from there, so leases, waits and durations behave as they do in production.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: PINNED_NOW, shouldAdvanceTime: true });
});
afterAll(() => {
  vi.useRealTimers();
});

beforeAll(async () => {
  project = await loadProjectOrThrow(repoRoot, { env: { ...process.env, WEFT_WAREHOUSE_URL: '' } });
  const duck = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: repoRoot });
  try {
    baseline = await runPipeline(project, duck, PEOPLE);
  } finally {
    await duck.close();
  }
}, 120_000);

describe('the portable-SQL proof', () => {
  it('covers every registered dialect that has no engine on these machines', () => {
    expect(engines.map((engine) => engine.name).sort()).toEqual([...TRANSPILED].sort());
  });
});

for (const engine of engines) {
  const dialectName = engine.name as SourceDialect;

  describe(`the demo pipeline in ${engine.name} SQL`, () => {
    let run: PipelineRun;
    let warehouse: TranspilingWarehouse;

    beforeAll(async () => {
      const inner = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: repoRoot });
      // polyglot turns BigQuery TIMESTAMP literals into TIMESTAMPTZ casts, read in the session zone.
      await inner.execute("SET TimeZone = 'UTC'");
      warehouse = new TranspilingWarehouse(engine.dialect, inner, dialectName);
      run = await runPipeline(project, warehouse, PEOPLE);
    }, 180_000);
    afterAll(async () => {
      await warehouse?.close();
    });

    it('sent SQL in every step, each statement accepted by the real parser for the dialect', () => {
      for (const step of run.steps) {
        expect(step.statements.length, step.name).toBeGreaterThan(0);
        for (const sql of step.statements) {
          if (sql.startsWith('-- load ')) continue;
          expect(parseError(sql, dialectName), sql).toBeUndefined();
        }
      }
    });

    it(`matches the golden SQL in test/golden/${engine.name}/pipeline/`, () => {
      for (const step of run.steps) {
        expectGoldenFile(
          path.join(goldenDir, engine.name, 'pipeline', `${step.name}.sql`),
          goldenText(step.statements),
        );
      }
    });

    it("gives the DuckDB engine's identity map, profiles, audience members and incremental model", () => {
      for (const [name, rows] of Object.entries(baseline.outputs)) {
        expect(rows.length, name).toBeGreaterThan(0);
        expect(run.outputs[name], name).toEqual(rows);
      }
    });

    it('plans the same changes as the DuckDB engine', () => {
      expect(run.plans).toEqual(baseline.plans);
      expect(Object.values(run.plans).some((counts) => (counts as { added: number }).added > 0)).toBe(true);
    });
  });
}
