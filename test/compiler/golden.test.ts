/**
 * Compiled SQL of a small project, for every registered dialect, compared with
 * test/golden/<dialect>/<model>.sql (incremental models also with `.incremental.sql`, their
 * is_incremental rendering). Run with UPDATE_GOLDEN=1 to rewrite the files.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileProject, renderScopeFor } from '../../src/compiler/compile.js';
import { renderModel } from '../../src/compiler/render.js';
import { registeredEngines } from '../../src/warehouse/registry.js';
import { goldenProject } from './golden-project.js';

const goldenDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../golden');
const updating = process.env.UPDATE_GOLDEN === '1';

function expectGolden(file: string, actual: string): void {
  if (updating) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `missing golden file ${file} (run with UPDATE_GOLDEN=1)`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('golden compiled SQL', () => {
  it('has at least the duckdb dialect registered', () => {
    expect(registeredEngines().map((e) => e.name)).toContain('duckdb');
  });

  for (const engine of registeredEngines()) {
    it(`matches test/golden/${engine.name}/`, () => {
      const compiled = compileProject(goldenProject, engine.dialect);
      const scope = renderScopeFor(goldenProject, engine.dialect);
      for (const model of compiled.models) {
        expectGolden(path.join(goldenDir, engine.name, `${model.name}.sql`), model.sql);
        if (model.materialized !== 'incremental') continue;
        const def = goldenProject.models.find((m) => m.name === model.name)!;
        const incremental = renderModel(def, scope, { isIncremental: true }).sql;
        expectGolden(path.join(goldenDir, engine.name, `${model.name}.incremental.sql`), incremental);
      }
    });
  }
});
