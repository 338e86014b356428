/**
 * The Dockerfile against package.json and the repository (no Docker needed): its base image is
 * the Node major package.json's `engines` names, every `npm run X` is a script, the native
 * packages it rebuilds are exactly those `allowScripts` approves, every COPY source exists and
 * survives .dockerignore, it copies what the build and the demo read, and it runs the demo.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-weft.js';

const read = (rel: string) => fs.readFileSync(path.join(repoRoot, rel), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  allowScripts: Record<string, boolean>;
  devDependencies: Record<string, string>;
};

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

const steps = instructions(read('Dockerfile'));
const ignored = read('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const copied = steps
  .filter((s) => s.op === 'COPY')
  .flatMap((s) => s.args.split(/\s+/).slice(0, -1))
  .map((src) => src.replace(/\/$/, ''));
const commands = steps
  .filter((s) => s.op === 'RUN' || s.op === 'CMD')
  .map((s) => (s.op === 'CMD' ? (JSON.parse(s.args) as string[]).join(' ') : s.args));

describe('Dockerfile', () => {
  it("builds on the slim image of the Node major package.json's engines name", () => {
    const major = /^>=\s*(\d+)/.exec(pkg.engines.node)?.[1];
    expect(steps[0]).toEqual({ op: 'FROM', args: `node:${major}-slim` });
  });

  it('runs only scripts package.json has, and runs the demo', () => {
    const runs = commands.flatMap((c) => [...c.matchAll(/npm run (\S+)/g)].map((m) => m[1]!));
    expect(runs.length).toBeGreaterThan(0);
    for (const script of runs) expect(pkg.scripts, `npm run ${script}`).toHaveProperty(script);
    expect(steps.at(-1)).toEqual({ op: 'CMD', args: '["npm", "run", "demo"]' });
    expect(pkg.scripts.demo).toBe('node scripts/demo.mjs');
  });

  it('installs the lock with scripts off, then rebuilds exactly the packages allowScripts approves', () => {
    const install = commands.find((c) => c.includes('npm ci'));
    expect(install).toMatch(/npm ci --ignore-scripts/);
    const rebuilt =
      /npm rebuild ([^&]+)/
        .exec(install ?? '')?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    const approved = Object.entries(pkg.allowScripts)
      .filter(([, allowed]) => allowed)
      .map(([name]) => name.replace(/@[^@/]+$/, ''));
    expect(rebuilt.sort()).toEqual(approved.sort());
  });

  it('copies sources that exist and .dockerignore keeps, including all the build and demo read', () => {
    for (const src of copied) {
      expect(fs.existsSync(path.join(repoRoot, src)), `COPY ${src}`).toBe(true);
      expect(ignored, `COPY ${src} is excluded by .dockerignore`).not.toContain(src);
    }
    // `file:` dev dependencies (vendor/) must be in the image before `npm ci`.
    for (const spec of Object.values(pkg.devDependencies))
      if (spec.startsWith('file:')) expect(copied).toContain(path.dirname(spec.slice('file:'.length)));
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[]; extends: string };
    for (const pattern of build.include) expect(copied).toContain(pattern.split('/')[0]);
    expect(copied).toContain(build.extends.replace(/^\.\//, ''));
    for (const needed of [
      'package.json',
      'package-lock.json',
      'weft.yml',
      'models',
      'syncs',
      'scripts',
      'schemas',
    ])
      expect(copied).toContain(needed);
  });

  it('.dockerignore keeps the host build and state out of the image', () => {
    for (const entry of ['node_modules', 'dist', '.weft', 'target']) expect(ignored).toContain(entry);
  });
});
