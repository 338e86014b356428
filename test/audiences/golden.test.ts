/**
 * Compiled audience SQL for every registered dialect, one file per audience (and per split arm)
 * under test/golden/<dialect>/audiences/: every operator and node type of cases.ts plus splits
 * and columns. Run with UPDATE_GOLDEN=1 to rewrite the files.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileAudiences } from '../../src/audiences/index.js';
import { registeredEngines } from '../../src/warehouse/registry.js';
import { cases } from './cases.js';
import { AS_OF, projectWith } from './fixture.js';

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

/** Audiences only the golden files cover (their results are checked in splits.test.ts / build.test.ts). */
export const goldenOnly: Record<string, Record<string, unknown>> = {
  s_split: {
    where: { trait: 'plan', op: 'eq', value: 'pro' },
    splits: { control: 10, treatment: 90 },
    columns: ['email', 'ltv'],
  },
  c_columns: { where: { trait: 'vip', op: 'eq', value: true }, columns: ['email', 'last_seen_at'] },
};

describe('golden audience SQL', () => {
  const audiences = {
    ...Object.fromEntries(Object.entries(cases).map(([name, c]) => [name, c.audience])),
    ...goldenOnly,
  };
  const project = projectWith(audiences, { vars: { min_ltv: 600 } });

  for (const engine of registeredEngines()) {
    it(`matches test/golden/${engine.name}/audiences/ (pinned as_of)`, () => {
      const compiled = compileAudiences(project, engine.dialect, { asOf: AS_OF });
      expect(compiled.map((a) => a.name).sort()).toEqual(Object.keys(audiences).sort());
      for (const audience of compiled) {
        expectGolden(path.join(goldenDir, engine.name, 'audiences', `${audience.name}.sql`), audience.sql);
        for (const arm of audience.arms) {
          expectGolden(
            path.join(goldenDir, engine.name, 'audiences', `${audience.name}.${arm.name}.sql`),
            arm.sql,
          );
        }
      }
    });

    it(`matches test/golden/${engine.name}/audiences/ (live clock)`, () => {
      const live = projectWith({ live_within_days: cases.t_within_days!.audience });
      const [audience] = compileAudiences(live, engine.dialect, { asOf: null });
      expectGolden(path.join(goldenDir, engine.name, 'audiences', 'live_within_days.sql'), audience!.sql);
    });
  }
});
