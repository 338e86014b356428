/**
 * History survives a killed build (issue 18, item 5): `kill -9` of the compiled `weft build` at
 * several points of a rebuild that splits profiles, then a rebuild, leaves profile_merges with
 * exactly the rows an uninterrupted build writes: no merge or split lost (the map the build
 * started from is kept in the state until the merges are committed), none recorded twice.
 * Real processes; wherever a kill lands (before, during or after identity) the outcome is the same.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/index.js';
import { repoRoot, runWeft } from '../cli/run-weft.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');

/** profile_merges as sorted "old new reason" lines (the `at` of a rerun differs, nothing else may). */
async function mergesOf(dir: string): Promise<string[]> {
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: path.join(dir, '.weft/warehouse.duckdb') },
    { projectDir: dir },
  );
  try {
    const rows = await warehouse.query<{ o: string; n: string; r: string }>(
      'SELECT old_profile_id AS o, new_profile_id AS n, reason AS r FROM weft.profile_merges',
    );
    return rows.map((row) => `${row.o} ${row.n} ${row.r}`).sort();
  } finally {
    await warehouse.close();
  }
}

/** Starts `weft build` and SIGKILLs it after `ms`; resolves when it is gone. */
function buildKilledAfter(dir: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'build', '--project', dir], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('profile_merges after kill -9 of weft build', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-merges-kill-'));
  const before = path.join(root, 'before');
  let expected: string[] = [];
  let buildMs = 0;

  beforeAll(async () => {
    // The demo project (its identity.yml, staging models, profiles and audiences), seeded small.
    fs.mkdirSync(before);
    fs.cpSync(path.join(repoRoot, 'models'), path.join(before, 'models'), { recursive: true });
    // Without the demo's real-time blocks (events:, serve:, last in its weft.yml): a build would
    // also load the serving store, which is not what this test kills.
    const weft = fs.readFileSync(path.join(repoRoot, 'weft.yml'), 'utf8');
    fs.writeFileSync(path.join(before, 'weft.yml'), weft.replace(/^# Real time[\s\S]*$/m, ''));
    expect((await runWeft(['seed', '--people', '300', '--project', before])).code).toBe(0);
    const first = await runWeft(['build', '--project', before]);
    expect(first.code, first.stderr).toBe(0);
    // Stricter limits split profiles on the next build (a full rebuild: identity.yml changed).
    const yml = path.join(before, 'models/identity.yml');
    const text = fs.readFileSync(yml, 'utf8');
    const stricter = text
      .replace(/user_id:\s*\{ max_per_profile: \d+ \}/, 'user_id: { max_per_profile: 1 }')
      .replace(/(email:\s*\{[^}]*max_per_profile: )\d+/, '$11');
    expect(stricter).not.toBe(text);
    fs.writeFileSync(yml, stricter);
    const clean = path.join(root, 'clean');
    fs.cpSync(before, clean, { recursive: true });
    const started = Date.now();
    const rebuild = await runWeft(['build', '--project', clean]);
    buildMs = Date.now() - started;
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expected = await mergesOf(clean);
  }, 60_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('an uninterrupted rebuild records splits', () => {
    expect(expected.filter((line) => line.endsWith(' split')).length).toBeGreaterThan(0);
  });

  it('loses and repeats none of them whenever the build is killed', async () => {
    // Spread over the build (identity is most of it); fixed, so a failure reproduces.
    const fractions = [0.3, 0.55, 0.8];
    for (const fraction of fractions) {
      const dir = path.join(root, `killed-${fraction.toFixed(3)}`);
      fs.cpSync(before, dir, { recursive: true });
      await buildKilledAfter(dir, Math.round(buildMs * fraction));
      const again = await runWeft(['build', '--project', dir]);
      expect(again.code, `rebuild after a kill at ${fraction.toFixed(2)}: ${again.stderr}`).toBe(0);
      expect(await mergesOf(dir), `kill at ${fraction.toFixed(2)} of the build`).toEqual(expected);
    }
  }, 240_000);
});
