#!/usr/bin/env node
// `npm run demo`: seed → build (models, identity, profiles, audiences) → audiences → plan → sync
// to the sandbox webhook → the scheduler's --once pass (nothing changed, nothing to send), on the
// embedded DuckDB. Each step is the real CLI,
// so what you see here is what `weft <command>` prints.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/src/cli/main.js');
if (!existsSync(cli)) {
  console.error('weft is not compiled yet: run `npm install` (it compiles to dist/) and try again.');
  process.exit(1);
}
const people = process.env.WEFT_DEMO_PEOPLE ?? '10000';
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/** Runs one weft command in the foreground; stops the demo if it fails. */
function step(args, what, env = {}) {
  console.log(`━━ weft ${args.join(' ')}   (${what})`);
  const t0 = Date.now();
  const res = spawnSync(process.execPath, [cli, ...args, '--project', root], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (res.status !== 0) {
    console.error(`\n✗ demo stopped: \`weft ${args[0]}\` exited ${res.status}.`);
    sandbox?.kill('SIGTERM');
    process.exit(res.status ?? 1);
  }
  console.log(`   took ${seconds(t0)}\n`);
}

/** Starts `weft sandbox --only webhook` on a free port and resolves with its base URL. */
function startSandbox() {
  const child = spawn(process.execPath, [cli, 'sandbox', '--only', 'webhook', '--port-base', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const info = JSON.parse(line);
      if (info.sandbox === 'webhook') resolve({ child, url: info.url });
    });
    child.on('exit', (code) => reject(new Error(`weft sandbox exited ${code} before it was ready`)));
  });
}

let sandbox;
console.log(`weft demo — project ${root}\n`);
step(
  ['seed', '--people', people],
  'generate customers, orders, CRM contacts, web/app events, tickets, signups',
);
step(
  ['build', '--full-refresh'],
  'models in dependency order, then the identity graph, profiles and audiences, inside DuckDB',
);

step(['audience', 'list'], 'the demo audiences: marketing asks as condition trees, built as views');
step(
  ['audience', 'preview', 'high_value_recent', '--limit', '5'],
  'one audience: size, a sample, overlap with the others',
);

const started_sandbox = await startSandbox();
sandbox = started_sandbox.child;
const env = { WEFT_WEBHOOK_URL: `${started_sandbox.url}/hooks/weft` };
console.log(`━━ weft sandbox   (a local, signed-webhook receiver at ${started_sandbox.url})\n`);
step(['plan'], 'diff each sync against what was last delivered, without sending', env);
step(
  ['sync', '--all'],
  'push only the changes; rows are marked synced once the receiver acknowledged them',
  env,
);
step(
  ['schedule', '--once'],
  'the scheduler, once: syncs whose cron slot is due run, after rebuilding only what changed since the last build',
  { ...env, WEFT_ALERT_URL: `${started_sandbox.url}/hooks/alerts` },
);
sandbox.kill('SIGTERM');

console.log(`✓ demo finished in ${seconds(started)}.`);
console.log(`  The warehouse is ${path.join(root, '.weft/warehouse.duckdb')}:`);
console.log(
  '    raw.* sources · truth.* ground truth · weft.* models, identity_map, profiles · weft_state.* sync state',
);
console.log(
  '  Next: `npx weft profile email:<someone>` · `npx weft runs` · `npx weft audience preview churn_risk` · `npx weft --help`',
);
