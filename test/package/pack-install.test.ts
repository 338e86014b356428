/**
 * docs/production.md's promise: `npm pack` makes a tarball that installs into an empty folder
 * and runs there. Packs the compiled package (dist/, built by `pretest`), installs the tarball
 * into a fresh project from npm's local cache (`--prefer-offline`), and runs the installed
 * `weft --version`, `weft init` and `weft validate`. The install prints no warning: no package
 * declares a Node newer than the one weft supports, and the install scripts of the native
 * packages are approved the way docs/production.md tells a project to.
 *
 * The slow part is npm itself (resolving ~320 packages and writing ~270 MB): about 50 s on
 * tmpfs, 70 s on disk, on a busy 2-core machine. /dev/shm is used when there is one.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-weft.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without the npm_* variables of an enclosing `npm test`, which would steer the inner npm. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
const work = fs.mkdtempSync(path.join(base, 'weft-pack-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};

describe('npm pack → npm install in an empty folder → weft runs', () => {
  it('installs the tarball without warnings and runs --version, init and validate', async () => {
    // dist/ is already built (pretest); --ignore-scripts skips `prepare` rebuilding it.
    const pack = await run(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
      repoRoot,
    );
    expect(pack.code, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path);
    expect(files).toContain(pkg.bin.weft!.replace(/^\.\//, ''));
    expect(files).toContain('README.md');
    expect(files.some((f) => f.startsWith('schemas/'))).toBe(true);
    // Tests, sources and the repo's own project stay out of the package.
    expect(files.filter((f) => /^(test|src|models|syncs|vendor)\//.test(f))).toEqual([]);

    const project = path.join(work, 'project');
    const tarball = path.join(work, packed!.filename);
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({
        name: 'pack-check',
        private: true,
        // As docs/production.md says: weft's native dependencies' install scripts approved, and
        // weft's own `prepare` (which npm counts for a tarball, not for the registry) denied:
        // the tarball already holds dist/, and building needs the repo's dev dependencies.
        allowScripts: { lmdb: true, 'msgpackr-extract': true, [`file:${tarball}`]: false },
      }),
    );
    const install = await run(
      'npm',
      ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'],
      project,
    );
    expect(install.code, install.stderr).toBe(0);
    const warnings = `${install.stdout}\n${install.stderr}`
      .split('\n')
      .filter((l) => /npm (warn|error)/i.test(l));
    expect(warnings).toEqual([]);

    const weft = path.join(project, 'node_modules', '.bin', 'weft');
    const version = await run(weft, ['--version'], project);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);

    const init = await run(weft, ['init', 'my_project'], project);
    expect(init.code, init.stderr).toBe(0);
    expect(fs.existsSync(path.join(project, 'my_project', 'weft.yml'))).toBe(true);
    const validate = await run(weft, ['validate', '--project', 'my_project'], project);
    expect(validate.code, `${validate.stdout}${validate.stderr}`).toBe(0);
  }, 300_000);
});
