#!/usr/bin/env node
// Benchmark: stream 1M realistic rows out of DuckDB with Warehouse.stream() and check the extra
// memory stays within budget; also time Warehouse.load() (the appender) on the same rows.
// Prints a markdown section on stdout (progress on stderr). Needs `npm run build` first.
// WEFT_BENCH_ROWS overrides the row count (default 1,000,000), WEFT_BENCH_CHUNK_ROWS the batch size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const ROWS = Number(process.env.WEFT_BENCH_ROWS ?? 1_000_000);
// Unset: stream() picks its default batch size (one DuckDB vector, 2,048 rows).
const CHUNK_ROWS = process.env.WEFT_BENCH_CHUNK_ROWS ? Number(process.env.WEFT_BENCH_CHUNK_ROWS) : undefined;
const BUDGET_MB = 100;
const SAMPLE_EVERY_MS = 5;
const MB = 1024 * 1024;

const progress = (message) => process.stderr.write(`[stream-memory] ${message}\n`);

/** A handle on the collector without needing `node --expose-gc`. */
function gcFunction() {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc');
}

async function importWarehouse() {
  const registryUrl = new URL('../dist/src/warehouse/registry.js', import.meta.url);
  if (!fs.existsSync(registryUrl)) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  return import(registryUrl.href);
}

const columns = [
  { name: 'id', type: 'bigint' },
  { name: 'customer_id', type: 'string' },
  { name: 'email', type: 'string' },
  { name: 'full_name', type: 'string' },
  { name: 'country', type: 'string' },
  { name: 'created_at', type: 'timestamp' },
  { name: 'last_order_at', type: 'timestamp' },
  { name: 'lifetime_value', type: 'double' },
];
const firstNames = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Alan',
  'Barbara',
  'Dennis',
  'Frances',
  'Ken',
  'Radia',
];
const lastNames = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Turing',
  'Liskov',
  'Ritchie',
  'Allen',
  'Thompson',
];
const countries = ['US', 'GB', 'DE', 'FR', 'NL', 'SE', 'BR', 'IN', 'JP', 'CA'];

/** Deterministic customer-like rows, generated lazily so the generator itself holds no memory. */
function* customerRows(count) {
  const start = Date.UTC(2020, 0, 1);
  for (let index = 0; index < count; index++) {
    const first = firstNames[index % firstNames.length];
    const last = lastNames[(index * 7) % lastNames.length];
    yield [
      index,
      `cus_${(index * 2654435761) % 4294967296}`.padEnd(16, '0'),
      `${first}.${last}${index}@example.com`.toLowerCase(),
      `${first} ${last}`,
      countries[(index * 13) % countries.length],
      new Date(start + index * 37_000),
      index % 5 === 0 ? null : new Date(start + index * 53_000),
      Math.round(((index * 7919) % 100_000) * 1.37) / 100,
    ];
  }
}

/** Samples RSS and heapUsed on a timer and on demand; `peak` holds the highest values seen. */
function memorySampler() {
  const peak = { rss: 0, heapUsed: 0 };
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > peak.rss) peak.rss = rss;
    if (heapUsed > peak.heapUsed) peak.heapUsed = heapUsed;
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  return { peak, sample, stop: () => clearInterval(timer) };
}

async function measureLoad(openWarehouse, projectDir) {
  const warehouse = await openWarehouse({ type: 'duckdb', path: 'stream-memory.duckdb' }, { projectDir });
  try {
    progress(`loading ${ROWS.toLocaleString('en-US')} rows through load() …`);
    const started = performance.now();
    const loaded = await warehouse.load({ schema: 'bench', name: 'customers' }, columns, customerRows(ROWS));
    const seconds = (performance.now() - started) / 1000;
    await warehouse.execute('CHECKPOINT');
    return { loaded, seconds };
  } finally {
    await warehouse.close();
  }
}

async function measureStream(openWarehouse, projectDir, gc) {
  // A fresh open, so the baseline does not include what loading left in DuckDB's buffers.
  const warehouse = await openWarehouse({ type: 'duckdb', path: 'stream-memory.duckdb' }, { projectDir });
  try {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    const baseline = process.memoryUsage();
    const sampler = memorySampler();
    progress(`streaming ${ROWS.toLocaleString('en-US')} rows with stream() …`);
    const started = performance.now();
    let rows = 0;
    let largestChunk = 0;
    let checksum = 0;
    for await (const chunk of warehouse.stream(
      'SELECT * FROM bench.customers',
      CHUNK_ROWS ? { chunkRows: CHUNK_ROWS } : {},
    )) {
      rows += chunk.length;
      largestChunk = Math.max(largestChunk, chunk.length);
      for (const row of chunk) checksum += row.email.length; // touch every row like a consumer would
      sampler.sample();
    }
    const seconds = (performance.now() - started) / 1000;
    sampler.stop();
    sampler.sample();
    return { rows, largestChunk, checksum, seconds, baseline, peak: sampler.peak };
  } finally {
    await warehouse.close();
  }
}

function markdown(load, stream) {
  const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;
  const count = (value) => Math.round(value).toLocaleString('en-US');
  const extraRss = stream.peak.rss - stream.baseline.rss;
  const verdict = extraRss <= BUDGET_MB * MB && stream.rows === ROWS ? 'PASS' : 'FAIL';
  const title = ROWS === 1_000_000 ? '1M' : count(ROWS);
  return [
    `## Streaming ${title} rows out of DuckDB`,
    '',
    `\`Warehouse.stream()\` over a ${columns.length}-column customers table (ids, emails, names, timestamps, amounts) ` +
      `in ${CHUNK_ROWS ? `${count(CHUNK_ROWS)}-row chunks` : `default-size chunks (${count(stream.largestChunk)} rows)`}, on ${os.platform()} ${os.arch()}, Node ${process.version}. ` +
      `Memory sampled every ${SAMPLE_EVERY_MS} ms and after every chunk.`,
    '',
    '| metric | value |',
    '|---|---|',
    `| rows | ${count(stream.rows)} |`,
    `| largest chunk | ${count(stream.largestChunk)} rows |`,
    `| seconds | ${stream.seconds.toFixed(2)} |`,
    `| rows/s | ${count(stream.rows / stream.seconds)} |`,
    `| baseline RSS | ${mb(stream.baseline.rss)} |`,
    `| peak RSS | ${mb(stream.peak.rss)} |`,
    `| extra RSS | ${mb(extraRss)} |`,
    `| baseline heapUsed | ${mb(stream.baseline.heapUsed)} |`,
    `| peak heapUsed | ${mb(stream.peak.heapUsed)} |`,
    `| budget | ${BUDGET_MB} MB extra: **${verdict}** |`,
    '',
    `### Loading ${title} rows with \`Warehouse.load()\` (DuckDB appender)`,
    '',
    '| rows | seconds | rows/s |',
    '|---|---|---|',
    `| ${count(load.loaded)} | ${load.seconds.toFixed(2)} | ${count(load.loaded / load.seconds)} |`,
    '',
  ].join('\n');
}

async function main() {
  const { openWarehouse } = await importWarehouse();
  const gc = gcFunction();
  const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-stream-'));
  try {
    const load = await measureLoad(openWarehouse, projectDir);
    const stream = await measureStream(openWarehouse, projectDir, gc);
    process.stdout.write(markdown(load, stream));
    progress('done');
  } finally {
    fs.rmSync(projectDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`[stream-memory] failed: ${error?.stack ?? error}\n`);
  process.stdout.write(
    `## Streaming 1M rows out of DuckDB\n\n**ERROR**: ${String(error?.message ?? error)}\n`,
  );
  process.exitCode = 1;
});
