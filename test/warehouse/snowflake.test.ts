import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflakeEngine } from '../../src/warehouse/snowflake/index.js';
import type { Warehouse, WarehouseConnectionConfig } from '../../src/warehouse/types.js';
import { type SnowflakeEmulator, startSnowflakeEmulator } from '../support/snowflake-emulator/index.js';

let emulator: SnowflakeEmulator;

beforeAll(async () => {
  emulator = await startSnowflakeEmulator({ inlineRows: 100, chunkRows: 500 });
});
afterAll(async () => {
  await emulator?.close();
});

function passwordConfig(extra: Partial<WarehouseConnectionConfig> = {}): WarehouseConnectionConfig {
  return {
    type: 'snowflake',
    account: emulator.account,
    user: emulator.users.password.name,
    password: emulator.users.password.password,
    database: 'WEFT',
    warehouse: 'EMULATOR_WH',
    access_url: emulator.url,
    ...extra,
  };
}

describe('snowflake smoke', () => {
  it('connects and queries', async () => {
    const warehouse: Warehouse = await snowflakeEngine.open(passwordConfig(), { projectDir: process.cwd() });
    try {
      const rows = await warehouse.query('SELECT 1 AS "n", \'a\' AS "s"');
      expect(rows).toEqual([{ n: 1, s: 'a' }]);
    } finally {
      await warehouse.close();
    }
  });
});
