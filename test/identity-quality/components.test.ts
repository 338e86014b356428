/** The large-star / small-star connected components used by the naive resolver and the truth. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedComponents } from '../../src/identity-quality/index.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';

let warehouse: Warehouse;
const labels = { schema: 'main', name: 'cc_labels' };

beforeAll(async () => {
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: '.' });
});
afterAll(async () => {
  await warehouse?.close();
});

async function components(edges: string): Promise<{ rounds: number; map: Record<string, string> }> {
  const rounds = await connectedComponents(warehouse, edges, labels);
  const rows = await warehouse.query<{ node: string; label: string }>(
    'SELECT node, label FROM main.cc_labels',
  );
  return { rounds, map: Object.fromEntries(rows.map((r) => [r.node, r.label])) };
}

describe('connectedComponents', () => {
  it('labels two components, a cycle and a self-loop-free star, with their smallest node', async () => {
    const { map } = await components(`SELECT * FROM (VALUES ('c', 'b'), ('b', 'a'), ('a', 'c'),
      ('x', 'z'), ('z', 'y'), ('q', 'q')) AS t(a, b)`);
    expect(map).toEqual({ a: 'a', b: 'a', c: 'a', x: 'x', y: 'x', z: 'x' });
  });

  it('converges on a 2,000-node chain in far fewer rounds than its length', async () => {
    const { rounds, map } = await components(
      `SELECT lpad(CAST(i AS VARCHAR), 5, '0') AS a, lpad(CAST(i + 1 AS VARCHAR), 5, '0') AS b
       FROM range(1999) AS r(i)`,
    );
    expect(Object.keys(map)).toHaveLength(2000);
    expect(new Set(Object.values(map))).toEqual(new Set(['00000']));
    expect(rounds).toBeLessThan(25);
  });

  it('drops its scratch tables', async () => {
    await components(`SELECT 'a' AS a, 'b' AS b`);
    const rows = await warehouse.query(
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'cc_labels_%'",
    );
    expect(rows).toEqual([]);
  });
});
