/** Runs the compiled `weft` executable (dist/, built by `pretest`) as a user would. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'dist/src/cli/main.js');

export interface WeftRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `weft …args` and collects its output and exit code. */
export function runWeft(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<WeftRun> {
  if (!fs.existsSync(cli))
    throw new Error(`${cli} is missing: run \`npm run build\` (npm test does it in pretest)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

/** A fresh temporary directory. */
export function tempDir(prefix = 'weft-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Parses every stdout line as JSON (fails loudly on a non-JSON line). */
export function jsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** A temporary copy of the demo project (weft.yml, models, syncs, destinations) for end-to-end runs. */
export function copyDemoProject(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const entry of ['weft.yml', 'models', 'syncs', 'destinations'])
    fs.cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  return dir;
}

/** `weft args` in project `dir`, with WEFT_WAREHOUSE_URL cleared unless `env` sets it. */
export function weftIn(dir: string, args: string[], env: Record<string, string> = {}): Promise<WeftRun> {
  return runWeft(args, { cwd: dir, env: { WEFT_WAREHOUSE_URL: '', ...env } });
}
