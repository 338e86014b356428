#!/usr/bin/env node
/**
 * Seeds 1,000,000 people into a temp DuckDB file and reports rows, time and peak RSS.
 * Build first (`npx tsc -p tsconfig.build.json`). stdout carries only markdown; progress goes
 * to stderr. Usage: node bench/seed.mjs [people]
 * Optional env: WEFT_BENCH_PEOPLE_PER_LOAD (people per load transaction, default 25000),
 * WEFT_BENCH_DUCKDB_MEMORY_LIMIT (e.g. 256MB, DuckDB's `memory_limit`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDemoData } from '../dist/src/seed/index.js';
import { openWarehouse } from '../dist/src/warehouse/registry.js';

const people = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-seed-'));
const mb = (bytes) => Math.round(bytes / 1024 / 1024);
const fmt = (n) => n.toLocaleString('en-US');

let peakRss = process.memoryUsage().rss;
let peakHeap = process.memoryUsage().heapUsed;
const baselineRss = peakRss;
const sample = () => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
};
const sampler = setInterval(sample, 50);

let lastLine = 0;
const onProgress = ({ table, rows }) => {
  sample();
  const now = Date.now();
  if (now - lastLine < 1000) return;
  lastLine = now;
  process.stderr.write(`  ${table}: ${fmt(rows)} rows (rss ${mb(process.memoryUsage().rss)} MB)\n`);
};

const memoryLimit = process.env.WEFT_BENCH_DUCKDB_MEMORY_LIMIT;
const peoplePerLoad = process.env.WEFT_BENCH_PEOPLE_PER_LOAD
  ? Number(process.env.WEFT_BENCH_PEOPLE_PER_LOAD)
  : undefined;
const warehouse = await openWarehouse(
  { type: 'duckdb', path: path.join(dir, 'bench.duckdb') },
  { projectDir: dir },
);
if (memoryLimit) await warehouse.execute(`SET memory_limit = '${memoryLimit}'`);
try {
  process.stderr.write(`seeding ${fmt(people)} people into ${dir}\n`);
  const summary = await seedDemoData(warehouse, { people, seed: 42, peoplePerLoad, onProgress });
  clearInterval(sampler);
  sample();
  const seconds = summary.ms / 1000;
  const title = people === 1_000_000 ? '1M' : fmt(people);
  const lines = [
    `## Seeding ${title} people`,
    '',
    `\`weft seed --people ${people} --seed 42\` into a DuckDB file, rows streamed through the appender`,
    `(Node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}).`,
    '',
    '| table | rows |',
    '|---|---:|',
    ...summary.tables.map((t) => `| ${t.table} | ${fmt(t.rows)} |`),
    `| **total** | **${fmt(summary.totalRows)}** |`,
    '',
    '| metric | value |',
    '|---|---:|',
    `| seconds | ${seconds.toFixed(1)} |`,
    `| rows/s | ${fmt(Math.round(summary.totalRows / seconds))} |`,
    `| peak RSS | ${mb(peakRss)} MB (baseline ${mb(baselineRss)} MB) |`,
    `| peak JS heap | ${mb(peakHeap)} MB |`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
} finally {
  clearInterval(sampler);
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
}
