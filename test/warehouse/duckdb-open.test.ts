import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getEngine, openWarehouse, registeredEngines } from '../../src/warehouse/registry.js';
import { type Warehouse, WarehouseError } from '../../src/warehouse/types.js';

const tempDirs: string[] = [];
const opened: Warehouse[] = [];
const children: ChildProcess[] = [];

function tempProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-duckdb-'));
  tempDirs.push(dir);
  return dir;
}

async function open(projectDir: string, duckdbPath?: string): Promise<Warehouse> {
  const warehouse = await openWarehouse(
    { type: 'duckdb', ...(duckdbPath ? { path: duckdbPath } : {}) },
    { projectDir },
  );
  opened.push(warehouse);
  return warehouse;
}

afterEach(async () => {
  for (const warehouse of opened.splice(0)) await warehouse.close();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts a separate node process that opens the DuckDB file and keeps it open until killed. */
async function holdFileInAnotherProcess(file: string): Promise<ChildProcess> {
  const script = `
    const { DuckDBInstance } = require('@duckdb/node-api');
    DuckDBInstance.create(process.argv[1])
      .then((instance) => instance.connect())
      .then(() => { process.stdout.write('ready\\n'); setInterval(() => {}, 1000); })
      .catch((error) => { console.error(error); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script, file], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
  });
  return child;
}

describe('opening a DuckDB warehouse', () => {
  it('defaults to .weft/warehouse.duckdb in the project, creating the directory', async () => {
    const projectDir = tempProject();
    const warehouse = await open(projectDir);
    await warehouse.execute('CREATE TABLE kept AS SELECT 1 AS v');
    expect(fs.existsSync(path.join(projectDir, '.weft', 'warehouse.duckdb'))).toBe(true);
  });

  it('resolves relative paths against the project and persists data across opens', async () => {
    const projectDir = tempProject();
    const first = await open(projectDir, 'deep/nested/dir/w.duckdb');
    await first.execute('CREATE TABLE kept AS SELECT 42 AS v');
    await first.close();
    expect(fs.existsSync(path.join(projectDir, 'deep/nested/dir/w.duckdb'))).toBe(true);
    const second = await open(projectDir, path.join(projectDir, 'deep/nested/dir/w.duckdb'));
    expect(await second.query('SELECT v FROM kept')).toEqual([{ v: 42 }]);
  });

  it('accepts a duckdb:// URL', async () => {
    const projectDir = tempProject();
    const file = path.join(projectDir, 'from-url.duckdb');
    const warehouse = await openWarehouse({ type: 'duckdb', url: `duckdb://${file}` }, { projectDir });
    opened.push(warehouse);
    await warehouse.execute('CREATE TABLE t AS SELECT 1 AS v');
    expect(fs.existsSync(file)).toBe(true);
  });

  it('shares one database between warehouses on the same file in this process', async () => {
    const projectDir = tempProject();
    const a = await open(projectDir, 'shared.duckdb');
    const b = await open(projectDir, 'shared.duckdb');
    await a.execute('CREATE TABLE t AS SELECT 1 AS v');
    expect(await b.query('SELECT v FROM t')).toEqual([{ v: 1 }]);
    await a.close();
    expect(await b.query('SELECT v FROM t')).toEqual([{ v: 1 }]);
  });

  it('keeps :memory: databases separate', async () => {
    const projectDir = tempProject();
    const a = await open(projectDir, ':memory:');
    const b = await open(projectDir, ':memory:');
    await a.execute('CREATE TABLE only_in_a AS SELECT 1 AS v');
    await expect(b.query('SELECT * FROM only_in_a')).rejects.toBeInstanceOf(WarehouseError);
  });

  it('explains a file held by another process, naming it, and opens once it is gone', async () => {
    const projectDir = tempProject();
    const file = path.join(projectDir, '.weft', 'warehouse.duckdb');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const holder = await holdFileInAnotherProcess(file);

    const error = await open(projectDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    const message = (error as WarehouseError).message;
    expect(message).toMatch(
      new RegExp(
        `^The warehouse file \\.weft/warehouse\\.duckdb is in use by another process \\(pid ${holder.pid}: node -e .*\\)\\. ` +
          'Close it \\(another weft command, a DuckDB shell, a notebook\\) and try again\\.$',
      ),
    );
    expect(message).not.toMatch(/IO Error|Conflicting lock/);
    expect(message).not.toContain('\n');
    expect(String((error as WarehouseError).cause)).toMatch(/Conflicting lock/);

    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    const warehouse = await open(projectDir);
    expect(await warehouse.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('reports other open failures with the path and DuckDB reason', async () => {
    const projectDir = tempProject();
    fs.mkdirSync(path.join(projectDir, 'a-directory.duckdb'));
    const error = await open(projectDir, 'a-directory.duckdb').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/^Cannot open the DuckDB warehouse at a-directory\.duckdb: /);
  });
});

describe('engine registry', () => {
  it('has duckdb registered by default', () => {
    expect(registeredEngines().map((engine) => engine.name)).toContain('duckdb');
    expect(getEngine('duckdb').dialect.name).toBe('duckdb');
  });

  it('names the registered engines when asked for an unknown one', async () => {
    expect(() => getEngine('oracle')).toThrow(
      /Unknown warehouse type "oracle"\. Registered warehouse types: .*duckdb/,
    );
    await expect(openWarehouse({ type: 'oracle' }, { projectDir: os.tmpdir() })).rejects.toThrow(/oracle/);
  });
});
