/**
 * A fake `dbt` executable for tests (real dbt needs Python): it appends its arguments and
 * working directory to $FAKE_DBT_LOG, copies $FAKE_DBT_RESULTS to target/run_results.json (as
 * `dbt build` writes it) and exits with $FAKE_DBT_EXIT.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes the fake into a new folder and returns that folder (to put first on PATH). */
export function fakeDbtBin(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-fake-dbt-'));
  const script = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
fs.appendFileSync(process.env.FAKE_DBT_LOG, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }) + '\\n');
console.log('Running with dbt=1.8.7 (fake)');
if (process.env.FAKE_DBT_RESULTS) fs.copyFileSync(process.env.FAKE_DBT_RESULTS, path.join('target', 'run_results.json'));
process.exit(Number(process.env.FAKE_DBT_EXIT || 0));
`;
  fs.writeFileSync(path.join(bin, 'dbt'), script, { mode: 0o755 });
  return bin;
}

/** The calls the fake recorded in `log`. */
export function fakeDbtCalls(log: string): Array<{ args: string[]; cwd: string }> {
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}
