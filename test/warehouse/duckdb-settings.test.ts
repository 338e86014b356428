import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { weftFileSchema } from '../../src/config/schemas/weft.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { type Warehouse, WarehouseError } from '../../src/warehouse/types.js';

const opened: Warehouse[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const warehouse of opened.splice(0)) await warehouse.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-duckdb-settings-'));
  dirs.push(dir);
  return dir;
}

async function open(settings: Record<string, unknown>, dir = tempDir()): Promise<Warehouse> {
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: 'w.duckdb', ...settings },
    { projectDir: dir },
  );
  opened.push(warehouse);
  return warehouse;
}

const setting = async (warehouse: Warehouse, name: string) =>
  (await warehouse.query(`SELECT current_setting('${name}') AS value`))[0]?.value;

describe('duckdb engine settings', () => {
  it('applies memory_limit and threads from the warehouse block', async () => {
    const warehouse = await open({ memory_limit: '256MB', threads: 1 });
    expect(await setting(warehouse, 'memory_limit')).toMatch(/^2[45]\d\.\d MiB$/); // 256 MB in MiB
    expect(Number(await setting(warehouse, 'threads'))).toBe(1);
  });

  it("leaves DuckDB's defaults when the block sets nothing", async () => {
    const warehouse = await open({});
    expect(Number(await setting(warehouse, 'threads'))).toBe(os.availableParallelism());
    expect(await setting(warehouse, 'memory_limit')).not.toMatch(/^2[45]\d\.\d MiB$/);
  });

  it('refuses an unreadable size or thread count with a WarehouseError naming the setting', async () => {
    const dir = tempDir();
    await expect(open({ memory_limit: 'lots' }, dir)).rejects.toThrow(/memory_limit/);
    await expect(open({ threads: 0 }, dir)).rejects.toThrow(WarehouseError);
    // The failed opens released the file: it opens again, with the new setting.
    const warehouse = await open({ memory_limit: '1GB' }, dir);
    expect(await setting(warehouse, 'memory_limit')).toMatch(/GiB|MiB/);
  });

  it('releaseMemory drops cached table blocks and keeps the configured limit exactly, data intact', async () => {
    const warehouse = (await open({ memory_limit: '300MB' })) as Warehouse & {
      releaseMemory(): Promise<void>;
    };
    await warehouse.execute(
      'CREATE TABLE t AS SELECT i, md5(i::VARCHAR) AS s FROM range(1000000) r(i); CHECKPOINT',
    );
    const cachedMb = async () =>
      Number(
        (
          await warehouse.query(
            "SELECT memory_usage_bytes // 1048576 AS mb FROM duckdb_memory() WHERE tag = 'BASE_TABLE'",
          )
        )[0]?.mb,
      );
    const [sum] = await warehouse.query('SELECT sum(length(s)) AS n FROM t');
    expect(await cachedMb()).toBeGreaterThan(16);
    const limit = await setting(warehouse, 'memory_limit');
    await warehouse.releaseMemory();
    expect(await cachedMb()).toBeLessThanOrEqual(16);
    expect(await setting(warehouse, 'memory_limit')).toBe(limit);
    expect(await warehouse.query('SELECT sum(length(s)) AS n FROM t')).toEqual([sum]);
  });

  it('releaseMemory on an in-memory database keeps its data in memory and its limit', async () => {
    const warehouse = (await openWarehouse(
      { type: 'duckdb', path: ':memory:' },
      { projectDir: tempDir() },
    )) as Warehouse & {
      releaseMemory(): Promise<void>;
    };
    opened.push(warehouse);
    await warehouse.execute("CREATE TABLE t AS SELECT i, 'row ' || i AS s FROM range(300000) r(i)");
    const before = String(await setting(warehouse, 'memory_limit'));
    await warehouse.releaseMemory();
    // Unconfigured: the shown (rounded) limit is re-applied, which may shift it by 0.1 once, then never.
    const after = String(await setting(warehouse, 'memory_limit'));
    expect(Math.abs(Number.parseFloat(after) - Number.parseFloat(before))).toBeLessThanOrEqual(0.1 + 1e-9);
    await warehouse.releaseMemory();
    expect(await setting(warehouse, 'memory_limit')).toBe(after);
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 300000 }]);
    const [temp] = await warehouse.query('SELECT sum(temporary_storage_bytes) AS b FROM duckdb_memory()');
    expect(Number(temp?.b)).toBe(0); // nothing spilled
  });

  it('is accepted in weft.yml only on the duckdb block, typed', () => {
    const parse = (warehouse: unknown) => weftFileSchema.safeParse({ name: 'p', warehouse }).success;
    expect(parse({ type: 'duckdb', memory_limit: '512MB', threads: 2 })).toBe(true);
    expect(parse({ type: 'duckdb', threads: 'two' })).toBe(false);
    expect(parse({ type: 'postgres', memory_limit: '512MB' })).toBe(false);
  });
});
