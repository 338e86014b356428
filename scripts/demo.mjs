#!/usr/bin/env node
// `npm run demo`: seed → build on the embedded DuckDB, then a readable summary.
// Each step is the real CLI, so what you see here is what `weft <command>` prints.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/src/cli/main.js');
if (!existsSync(cli)) {
  console.error('weft is not compiled yet: run `npm install` (it compiles to dist/) and try again.');
  process.exit(1);
}
const people = process.env.WEFT_DEMO_PEOPLE ?? '10000';
const steps = [
  [
    'seed',
    ['seed', '--people', people],
    'generate customers, orders, CRM contacts, web/app events, tickets, signups',
  ],
  ['build', ['build'], 'run the SQL models in dependency order inside DuckDB'],
];

const started = Date.now();
console.log(`weft demo — project ${root}\n`);
for (const [name, args, what] of steps) {
  console.log(`━━ weft ${args.join(' ')}   (${what})`);
  const t0 = Date.now();
  const res = spawnSync(process.execPath, [cli, ...args, '--project', root], { stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`\n✗ demo stopped: \`weft ${name}\` exited ${res.status}.`);
    process.exit(res.status ?? 1);
  }
  console.log(`   ${name} took ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
}
console.log(`✓ demo finished in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
console.log(
  `  The warehouse is ${path.join(root, '.weft/warehouse.duckdb')}: raw.* (sources), truth.* (ground truth), weft.* (models).`,
);
console.log(
  '  Next: `npx weft compile` to read the SQL, `npx weft build --select stg_shop_orders+`, `npx weft --help`.',
);
