/** `weft plan` on a warehouse that can price queries (BigQuery's dry run) reports the diff's scan. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/cli/format.js';
import { compileMappings } from '../../src/sync/mapping/compile.js';
import { planSync } from '../../src/sync/planner/plan.js';
import type { CostEstimating } from '../../src/warehouse/abilities.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, resolved, setPeople, syncConfig } from './helpers.js';

describe('plan cost estimate', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await memoryWarehouse();
    await warehouse.execute('CREATE SCHEMA weft_state');
    await setPeople(warehouse, [
      ['a@x', 'Ann', 1],
      ['b@x', 'Bob', 2],
    ]);
  });
  afterEach(async () => warehouse.close());
  const mapper = compileMappings({ email: 'email', name: 'name' }, ['email', 'name', 'score'], undefined);

  it('dry-runs the diff statement before running it, where the warehouse can', async () => {
    const estimated: string[] = [];
    const pricing: Warehouse & CostEstimating = Object.assign(Object.create(warehouse) as Warehouse, {
      estimateCost: async (sql: string) => {
        estimated.push(sql);
        return { bytesProcessed: 3 * 1024 * 1024 };
      },
    });
    const plan = await planSync(pricing, resolved(syncConfig()), mapper);
    expect(plan.estimate).toEqual({ bytesProcessed: 3 * 1024 * 1024 });
    expect(estimated).toHaveLength(1);
    expect(estimated[0]).toContain('"app"."people"');
    expect(plan.counts.added).toBe(2);
  });

  it('has no estimate where the warehouse cannot price queries', async () => {
    const plan = await planSync(warehouse, resolved(syncConfig()), mapper);
    expect(plan).not.toHaveProperty('estimate');
  });

  it('formats byte counts in binary units', () => {
    expect([0, 1023, 1536, 10 * 1024 ** 2, 5 * 1024 ** 4].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.5 KiB',
      '10.0 MiB',
      '5.0 TiB',
    ]);
  });
});
