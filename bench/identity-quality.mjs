#!/usr/bin/env node
/**
 * Identity quality against the seed's ground truth at 10k and 100k people: weft's resolver
 * (buildIdentity) and a naive one (exact string equality, no normalization or merge protection)
 * side by side. Build first (`npx tsc -p tsconfig.build.json`). stdout carries only markdown.
 * Usage: node bench/identity-quality.mjs [people…]   (default 10000 100000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProject } from '../dist/src/build/index.js';
import { loadProjectOrThrow } from '../dist/src/config/project.js';
import { buildIdentity } from '../dist/src/identity/index.js';
import { measureIdentityQuality, measureNaiveQuality } from '../dist/src/identity-quality/index.js';
import { seedDemoData } from '../dist/src/seed/index.js';
import { openWarehouse } from '../dist/src/warehouse/registry.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [10_000, 100_000];
const fmt = (n) => n.toLocaleString('en-US');
const log = (line) => process.stderr.write(`${line}\n`);

async function measure(people) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-quality-'));
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: path.join(dir, 'q.duckdb') },
    { projectDir: dir },
  );
  try {
    const project = await loadProjectOrThrow(repoRoot);
    log(`${fmt(people)} people: seeding…`);
    await seedDemoData(warehouse, { people, seed: 42 });
    const staging = project.models.filter((m) => m.path.startsWith('models/staging/')).map((m) => m.name);
    await buildProject(project, warehouse, { select: staging.join(',') });
    log('  identity…');
    const t0 = performance.now();
    const identity = await buildIdentity(project, warehouse, { fullRefresh: true });
    const identityMs = performance.now() - t0;
    log('  measuring…');
    const real = await measureIdentityQuality(warehouse, project);
    const { report: naive, naive: naiveBuild } = await measureNaiveQuality(warehouse, project, {
      truthReady: true,
    });
    return { people, real, naive, identity, identityMs, naiveMs: naiveBuild.ms };
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const people of sizes) results.push(await measure(people));

const p = (x) => x.toFixed(4);
const metrics = [
  ['pairwise precision', (r) => p(r.pairwise.precision)],
  ['pairwise recall', (r) => p(r.pairwise.recall)],
  ['pairwise F1', (r) => p(r.pairwise.f1)],
  ['B-cubed precision', (r) => p(r.bcubed.precision)],
  ['B-cubed recall', (r) => p(r.bcubed.recall)],
  ['B-cubed F1', (r) => p(r.bcubed.f1)],
  ['over-merged profiles', (r) => fmt(r.over_merged_profiles)],
  ['split persons', (r) => fmt(r.split_persons)],
  [
    'largest profile (records / people)',
    (r) => `${fmt(r.largest_profile.records)} / ${fmt(r.largest_profile.persons)}`,
  ],
  ['profiles', (r) => fmt(r.profiles)],
  ['records (unresolved)', (r) => `${fmt(r.records)} (${fmt(r.unresolved_records)})`],
];
const head = results.flatMap((r) => [`${fmt(r.people)} weft`, `${fmt(r.people)} naive`]);
const lines = [
  '## Identity quality (seeded ground truth)',
  '',
  'Records are identity source rows with an identifier; precision counts record pairs put in one',
  'profile that belong to one true person, recall counts pairs the evidence links (same person,',
  'connected through values no one else carries) that end up in one profile',
  '(src/identity-quality/README.md). Naive: exact string equality, no normalization, blocklist,',
  'hub detection or limits. Gate: precision >= 0.995, recall >= 0.99.',
  '',
  `| metric | ${head.join(' | ')} |`,
  `|---|${head.map(() => '---:').join('|')}|`,
  ...metrics.map(
    ([name, f]) => `| ${name} | ${results.flatMap((r) => [f(r.real), f(r.naive)]).join(' | ')} |`,
  ),
  `| resolve time | ${results.flatMap((r) => [`${(r.identityMs / 1000).toFixed(1)}s (${r.identity.rounds} rounds)`, `${(r.naiveMs / 1000).toFixed(1)}s`]).join(' | ')} |`,
  '',
];
process.stdout.write(lines.join('\n'));
