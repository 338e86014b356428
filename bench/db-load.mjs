#!/usr/bin/env node
// `weft load --from` a 1M-row MariaDB orders table into DuckDB and into Postgres with the compiled
// CLI, then the 1% increment by cursor, side by side with the floors: the plain mysql2 stream read
// alone, and the native pipes `mysql -B … > tsv` + DuckDB read_csv / `mysql -B … | psql \copy`.
// Needs MariaDB (WEFT_BENCH_MARIADB_URL, default mysql://root@127.0.0.1:3306/test), Postgres
// (WEFT_BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test) and `npm run build`.
// Prints one markdown section on stdout, progress on stderr.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import knexFactory from 'knex';
import mysql from 'mysql2';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/src/cli/main.js');
const MARIA = process.env.WEFT_BENCH_MARIADB_URL || 'mysql://root@127.0.0.1:3306/test';
const PG = process.env.WEFT_BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.WEFT_BENCH_DB_ROWS || 1_000_000);
const NEW_ROWS = Math.round(ROWS / 100);
const tag = randomBytes(3).toString('hex');
const table = `bench_orders_${tag}`;
const pgSource = `bench_shop_${tag}`;
const pgState = `bench_state_${tag}`;
const log = (line) => process.stderr.write(`${line}\n`);
const maria = new URL(MARIA);

const knex = knexFactory({ client: 'mysql2', connection: MARIA, pool: { min: 0, max: 1 } });
const pgClient = new pg.Client({ connectionString: PG });
await pgClient.connect();
const dirs = [];

function project(warehouse) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-dbload-'));
  dirs.push(dir);
  fs.writeFileSync(
    path.join(dir, 'weft.yml'),
    `name: benchdbload\nstate_schema: ${pgState}\nwarehouse:\n${warehouse}\n`,
  );
  return dir;
}

/** Runs the compiled CLI under /usr/bin/time: wall seconds, peak RSS, the JSON summary. */
function weftLoad(dir, into) {
  const args = ['-f', '%e %M', process.execPath, cli, 'load', '--project', dir, '--json', '--from', MARIA];
  args.push('--table', table, '--into', into, '--cursor', 'updated_at', '--key', 'id');
  const res = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
  if (res.status !== 0) throw new Error(`weft load failed: ${res.stderr}`);
  const [seconds, kb] = res.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, rssMb: Math.round(kb / 1024), summary: JSON.parse(res.stdout) };
}

function timed(fn) {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return Promise.resolve(value).then((v) => ({
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    value: v,
  }));
}

const mysqlArgs = [
  '-h',
  maria.hostname,
  '-P',
  maria.port || '3306',
  '-u',
  decodeURIComponent(maria.username),
  maria.pathname.slice(1),
];
if (maria.password) mysqlArgs.push(`-p${decodeURIComponent(maria.password)}`);

try {
  log(`creating ${table} with ${ROWS} rows`);
  await knex.raw(`CREATE TABLE ${table} (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, amount DECIMAL(12,2) NOT NULL,
    status VARCHAR(16) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, KEY (updated_at))`);
  await knex.raw(`INSERT INTO ${table} SELECT seq, seq % 50000, (seq * 7919 % 100000) / 100,
    ELT(1 + seq % 4, 'paid', 'shipped', 'refunded', 'pending'),
    '2025-01-01' + INTERVAL (seq % 31536000) SECOND, '2026-01-01' + INTERVAL seq SECOND FROM seq_1_to_${ROWS}`);

  // Floors.
  log('floor: mysql2 stream read alone');
  const readOnly = await timed(
    () =>
      new Promise((resolve, reject) => {
        const conn = mysql.createConnection({
          uri: MARIA,
          supportBigNumbers: true,
          bigNumberStrings: true,
          dateStrings: true,
        });
        let n = 0;
        conn
          .query(`SELECT * FROM ${table}`)
          .stream()
          .on('data', () => n++)
          .on('end', () => {
            conn.end();
            resolve(n);
          })
          .on('error', reject);
      }),
  );
  log('floor: mysql -B > tsv, DuckDB read_csv');
  const tsv = path.join(os.tmpdir(), `${table}.tsv`);
  const duckFloor = await timed(async () => {
    execFileSync('sh', [
      '-c',
      `mysql -B --skip-column-names ${mysqlArgs.map((a) => `'${a}'`).join(' ')} -e 'SELECT * FROM ${table}' > '${tsv}'`,
    ]);
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`CREATE TABLE orders AS SELECT * FROM read_csv('${tsv}', delim='\t', header=false,
      columns={'id':'BIGINT','customer_id':'BIGINT','amount':'DECIMAL(12,2)','status':'VARCHAR','created_at':'TIMESTAMP','updated_at':'TIMESTAMP'})`);
    const n = Number((await conn.runAndReadAll('SELECT count(*) FROM orders')).getRows()[0][0]);
    conn.closeSync();
    return n;
  });
  fs.rmSync(tsv, { force: true });
  log('floor: mysql -B | psql \\copy');
  await pgClient.query(`CREATE SCHEMA ${pgSource}_floor`);
  await pgClient.query(
    `CREATE TABLE ${pgSource}_floor.orders (id bigint, customer_id bigint, amount numeric(12,2), status text, created_at timestamp, updated_at timestamp)`,
  );
  const pgFloor = await timed(() =>
    execFileSync('sh', [
      '-c',
      `mysql -B --skip-column-names ${mysqlArgs.map((a) => `'${a}'`).join(' ')} -e 'SELECT * FROM ${table}' | psql '${PG}' -q -c "\\copy ${pgSource}_floor.orders from stdin"`,
    ]),
  );

  log('weft load into DuckDB');
  const duckDir = project('  type: duckdb\n  path: warehouse.duckdb');
  const duckFull = weftLoad(duckDir, 'shop.orders');
  log('weft load into Postgres');
  const pgDir = project(`  type: postgres\n  url: ${PG}`);
  const pgFull = weftLoad(pgDir, `${pgSource}.orders`);

  log(`adding ${NEW_ROWS} rows and updating ${NEW_ROWS / 10}`);
  await knex.raw(`INSERT INTO ${table} SELECT seq, seq % 50000, 1.25, 'pending', '2026-06-01', '2027-01-01' + INTERVAL seq SECOND
    FROM seq_${ROWS + 1}_to_${ROWS + NEW_ROWS}`);
  await knex.raw(`UPDATE ${table} SET status = 'refunded', updated_at = '2027-06-01' WHERE id % 1000 = 7`); // some new rows too
  const changed = Number(
    (await knex.raw(`SELECT count(*) AS n FROM ${table} WHERE id % 1000 = 7 AND id <= ${ROWS}`))[0][0].n,
  );
  const duckInc = weftLoad(duckDir, 'shop.orders');
  const pgInc = weftLoad(pgDir, `${pgSource}.orders`);

  // The loaded tables equal the source: counts and exact sums.
  const [[src]] = await knex.raw(`SELECT count(*) AS n, CAST(sum(amount) AS CHAR) AS amount, sum(id) AS ids,
    sum(status = 'refunded') AS refunded FROM ${table}`);
  const instance = await DuckDBInstance.create(path.join(duckDir, 'warehouse.duckdb'));
  const dconn = await instance.connect();
  const [dn, damount, dids, drefunded] = (
    await dconn.runAndReadAll(
      `SELECT count(*), CAST(sum(CAST(amount AS DECIMAL(18,2))) AS VARCHAR), sum(id), count(*) FILTER (status = 'refunded') FROM shop.orders`,
    )
  )
    .getRows()[0]
    .map(String);
  dconn.closeSync();
  const pgRow = (
    await pgClient.query(
      `SELECT count(*) AS n, sum(amount::numeric)::text AS amount, sum(id) AS ids, count(*) FILTER (WHERE status = 'refunded') AS refunded FROM ${pgSource}.orders`,
    )
  ).rows[0];
  const expected = [String(src.n), String(src.amount), String(src.ids), String(src.refunded)];
  const duckEqual = [dn, damount, dids, drefunded].join() === expected.join();
  const pgEqual = [pgRow.n, pgRow.amount, pgRow.ids, pgRow.refunded].map(String).join() === expected.join();

  const rate = (rows, s) => `${Math.round(rows / s).toLocaleString('en-US')}/s`;
  const cpus = os.cpus();
  console.log(`## weft load --from MariaDB: ${ROWS.toLocaleString('en-US')} orders, then a 1% increment

Machine: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; MariaDB, Postgres and DuckDB on the same machine (2 cores shared with other sessions).
Orders: id BIGINT, customer_id BIGINT, amount DECIMAL(12,2), status VARCHAR, created_at/updated_at DATETIME; \`weft load --from … --table … --cursor updated_at --key id --json\` (the compiled CLI, wall time including start-up; peak RSS by /usr/bin/time).

| step | rows read | seconds | rate | peak RSS |
|---|---:|---:|---:|---:|
| floor: mysql2 stream read alone (no write) | ${readOnly.value.toLocaleString('en-US')} | ${readOnly.seconds.toFixed(1)} | ${rate(readOnly.value, readOnly.seconds)} | |
| floor: \`mysql -B > tsv\` + DuckDB \`read_csv\` | ${duckFloor.value.toLocaleString('en-US')} | ${duckFloor.seconds.toFixed(1)} | ${rate(duckFloor.value, duckFloor.seconds)} | |
| floor: \`mysql -B \\| psql \\copy\` | ${ROWS.toLocaleString('en-US')} | ${pgFloor.seconds.toFixed(1)} | ${rate(ROWS, pgFloor.seconds)} | |
| weft load → DuckDB, first load | ${duckFull.summary.rows_read.toLocaleString('en-US')} | ${duckFull.seconds.toFixed(1)} | ${rate(duckFull.summary.rows_read, duckFull.seconds)} | ${duckFull.rssMb} MB |
| weft load → Postgres, first load | ${pgFull.summary.rows_read.toLocaleString('en-US')} | ${pgFull.seconds.toFixed(1)} | ${rate(pgFull.summary.rows_read, pgFull.seconds)} | ${pgFull.rssMb} MB |
| weft load → DuckDB, increment (${NEW_ROWS.toLocaleString('en-US')} new, ${changed.toLocaleString('en-US')} older rows updated) | ${duckInc.summary.rows_read.toLocaleString('en-US')} | ${duckInc.seconds.toFixed(1)} | | ${duckInc.rssMb} MB |
| weft load → Postgres, increment | ${pgInc.summary.rows_read.toLocaleString('en-US')} | ${pgInc.seconds.toFixed(1)} | | ${pgInc.rssMb} MB |

- First load vs the native floor: DuckDB ${(duckFull.seconds / duckFloor.seconds).toFixed(1)}x, Postgres ${(pgFull.seconds / pgFloor.seconds).toFixed(1)}x; vs the bare mysql2 read: ${(duckFull.seconds / readOnly.seconds).toFixed(1)}x / ${(pgFull.seconds / readOnly.seconds).toFixed(1)}x.
- The increment read ${duckInc.summary.rows_read.toLocaleString('en-US')} rows (new + updated + the row at the stored cursor, \`>=\` with upsert), not ${(ROWS + NEW_ROWS).toLocaleString('en-US')}.
- After the increment the loaded tables equal the source (count, exact sum(amount), sum(id), refunded count): DuckDB ${duckEqual ? 'yes' : `NO (${[dn, damount, dids, drefunded]} vs ${expected})`}, Postgres ${pgEqual ? 'yes' : `NO (${Object.values(pgRow)} vs ${expected})`}.`);
} finally {
  await knex.raw(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  await knex.destroy();
  for (const s of [pgSource, `${pgSource}_floor`, pgState])
    await pgClient.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
  await pgClient.end();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}
