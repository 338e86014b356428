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

  it('is accepted in weft.yml only on the duckdb block, typed', () => {
    const parse = (warehouse: unknown) => weftFileSchema.safeParse({ name: 'p', warehouse }).success;
    expect(parse({ type: 'duckdb', memory_limit: '512MB', threads: 2 })).toBe(true);
    expect(parse({ type: 'duckdb', threads: 'two' })).toBe(false);
    expect(parse({ type: 'postgres', memory_limit: '512MB' })).toBe(false);
  });
});
