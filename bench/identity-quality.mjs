#!/usr/bin/env node
/**
 * Identity quality against the seed's ground truth at 10k and 100k people: weft's resolver
 * (buildIdentity) and a naive one (exact string equality, no normalization or merge protection)
 * side by side. Build first (`npx tsc -p tsconfig.build.json`). stdout carries only markdown.
 * Usage: node bench/identity-quality.mjs [--noise standard|messy] [--seeds 42,7,1234] [people…]
 *   (default: standard noise, seed 42, 10000 100000 people). Prints the load average too.
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
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const noise = flag('--noise', 'standard');
const seeds = flag('--seeds', '42').split(',').map(Number);
const sizes = args.length > 0 ? args.map(Number) : [10_000, 100_000];
const fmt = (n) => n.toLocaleString('en-US');
const log = (line) => process.stderr.write(`${line}\n`);
const loadAtStart = os
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(' / ');

async function measure(people, seed) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-quality-'));
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: path.join(dir, 'q.duckdb') },
    { projectDir: dir },
  );
  try {
    const project = await loadProjectOrThrow(repoRoot);
    log(`${fmt(people)} people, seed ${seed}, ${noise} noise: seeding…`);
    await seedDemoData(warehouse, { people, seed, noise });
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
    return { people, seed, real, naive, identity, identityMs, naiveMs: naiveBuild.ms };
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const people of sizes) for (const seed of seeds) results.push(await measure(people, seed));

const p = (x) => x.toFixed(4);
const metrics = [
  ['pairwise precision', (r) => p(r.pairwise.precision)],
  ['pairwise recall', (r) => p(r.pairwise.recall)],
  ['pairwise F1', (r) => p(r.pairwise.f1)],
  ['B-cubed precision', (r) => p(r.bcubed.precision)],
  ['B-cubed recall', (r) => p(r.bcubed.recall)],
  ['B-cubed F1', (r) => p(r.bcubed.f1)],
  ['over-merged profiles', (r) => fmt(r.over_merged_profiles)],
  ['… through a role mailbox', (r) => fmt(r.over_merged_by_cause.role_mailbox)],
  ['… through a desk phone', (r) => fmt(r.over_merged_by_cause.desk_phone)],
  ['… through another shared value (family)', (r) => fmt(r.over_merged_by_cause.shared_value)],
  ['… other', (r) => fmt(r.over_merged_by_cause.other)],
  ['split persons', (r) => fmt(r.split_persons)],
  [
    'largest profile (records / people)',
    (r) => `${fmt(r.largest_profile.records)} / ${fmt(r.largest_profile.persons)}`,
  ],
  ['profiles', (r) => fmt(r.profiles)],
  ['records (unresolved)', (r) => `${fmt(r.records)} (${fmt(r.unresolved_records)})`],
];
const label = (r) => `${fmt(r.people)}${seeds.length > 1 ? ` s${r.seed}` : ''}`;
const head = results.flatMap((r) => [`${label(r)} weft`, `${label(r)} naive`]);
const lines = [
  `## Identity quality (seeded ground truth, ${noise} noise)`,
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
  `| shared values found | ${results.flatMap((r) => [fmt(r.identity.shared ?? 0), '-']).join(' | ')} |`,
  `| resolve time | ${results.flatMap((r) => [`${(r.identityMs / 1000).toFixed(1)}s (${r.identity.rounds} rounds)`, `${(r.naiveMs / 1000).toFixed(1)}s`]).join(' | ')} |`,
  '',
];
lines.push(
  `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB; ${new Date().toISOString().slice(0, 10)}; load average (1/5/15 min) ${loadAtStart} at the start, ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ')} at the end.`,
  '',
);
process.stdout.write(lines.join('\n'));
