#!/usr/bin/env node
// `npm run bench [-- NAME…]`: runs each bench/*.mjs script (each prints one markdown section
// on stdout, progress on stderr) and writes bench/RESULTS.md with the machine they ran on.
// Figures live here, never as timed assertions in tests.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const OPT_IN = ['identity-peer.mjs'];
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  // opt-in benches (long, or needing outside code) run only when named
  .filter((f) => (only.length === 0 ? !OPT_IN.includes(f) : only.some((o) => f.includes(o))))
  .sort();

const sections = [];
let failed = 0;
for (const script of scripts) {
  process.stderr.write(`\n▶ bench/${script}\n`);
  const t0 = Date.now();
  const res = spawnSync(process.execPath, ['--expose-gc', path.join(dir, script)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (res.status !== 0) {
    failed++;
    sections.push(`## bench/${script}\n\nFAILED (exit ${res.status}) after ${seconds}s.\n`);
  } else {
    sections.push(`${res.stdout.trim()}\n`);
  }
}

const cpus = os.cpus();
const machine = [
  `- date: ${new Date().toISOString()}`,
  `- cpu: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
  `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  `- os: ${os.type()} ${os.release()} (${os.arch()})`,
  `- node: ${process.version}`,
].join('\n');

const resultsPath = path.join(dir, 'RESULTS.md');
let previous = '';
try {
  previous = readFileSync(resultsPath, 'utf8');
} catch {}
// A partial run (named benches) keeps the other sections of the previous report.
const kept =
  only.length === 0
    ? []
    : previous
        .split(/\n(?=## )/)
        .slice(1)
        .filter((s) => !sections.some((n) => n.split('\n')[0] === s.split('\n')[0]));
const body = [...kept.map((s) => `${s.trim()}\n`), ...sections].join('\n');
writeFileSync(
  resultsPath,
  `# Benchmark results\n\nWritten by \`npm run bench\`. Machine:\n\n${machine}\n\n${body}`,
);
process.stderr.write(`\nwrote ${path.relative(process.cwd(), resultsPath)}\n`);
process.exitCode = failed ? 1 : 0;
