import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIdentity } from '../../src/identity/index.js';
import { keepsTempTablesInMemory } from '../../src/warehouse/abilities.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import {
  identityProject,
  loadRows,
  mapRows,
  profileGroups,
  type TempWarehouse,
  tempWarehouse,
} from './helpers.js';

let tw: TempWarehouse;
beforeEach(async () => {
  tw = await tempWarehouse();
});
afterEach(async () => tw.dispose());

const identity = {
  id_types: { email: { normalize: 'email' }, anonymous_id: {} },
  sources: [{ from: 'src.events', ids: { email: 'email', anonymous_id: 'anon' }, timestamp: 'ts' }],
};

/** `warehouse` recording each statement it runs; `hideMemory` hides DuckDB's tempTablesInMemory. */
function recording(warehouse: Warehouse, hideMemory: boolean): { warehouse: Warehouse; sql: string[] } {
  const sql: string[] = [];
  const proxy = new Proxy(warehouse, {
    get(target, prop) {
      if (prop === 'tempTablesInMemory' && hideMemory) return undefined;
      if (prop === 'execute')
        return (text: string) => {
          sql.push(text);
          return target.execute(text);
        };
      if (prop === 'query')
        return (text: string) => {
          sql.push(text);
          return target.query(text);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { warehouse: proxy, sql };
}

async function build(hideMemory: boolean): Promise<{ sql: string[]; map: string[] }> {
  const t = (d: number) => new Date(Date.UTC(2024, 0, d));
  await loadRows(
    tw.warehouse,
    'events',
    ['email', 'anon'],
    [
      ['ann@acme.com', 'c1', t(1)],
      ['ann@acme.com', 'c2', t(2)],
      ['bob@x.org', 'c3', t(3)],
    ],
  );
  const rec = recording(tw.warehouse, hideMemory);
  await buildIdentity(identityProject(tw.dir, ['events'], identity), rec.warehouse, { fullRefresh: true });
  return { sql: rec.sql, map: await mapRows(tw.warehouse) };
}

const firstIndex = (sql: string[], pattern: RegExp) => sql.findIndex((s) => pattern.test(s));

describe('identity work tables', () => {
  it('DuckDB keeps temp tables in memory; a warehouse without the flag does not', () => {
    expect(keepsTempTablesInMemory(tw.warehouse)).toBe(true);
    expect(keepsTempTablesInMemory(recording(tw.warehouse, true).warehouse)).toBe(false);
  });

  it('drops the shared-value and component work tables once read where temp tables hold memory', async () => {
    const { sql, map } = await build(false);
    const edgesWrite = firstIndex(sql, /^INSERT INTO "weft_state"\."identity_state_edges"/);
    const mapWrite = firstIndex(sql, /^INSERT INTO "weft"\."identity_map"/);
    expect(edgesWrite).toBeGreaterThan(0);
    // the pairs shared detection read are gone before the first edge is written
    const pairsDrop = firstIndex(sql, /^DROP TABLE IF EXISTS "temp"\."identity_work_sh_pairs"/);
    expect(pairsDrop).toBeGreaterThan(0);
    expect(pairsDrop).toBeLessThan(edgesWrite);
    // the touched nodes and component rounds before the map is written
    const touchedDrop = firstIndex(sql, /^DROP TABLE IF EXISTS "temp"\."identity_work_nodes_touched"/);
    expect(touchedDrop).toBeGreaterThan(edgesWrite);
    expect(touchedDrop).toBeLessThan(mapWrite);
    expect(map).toHaveLength(5);
    expect(await profileGroups(tw.warehouse)).toEqual([
      ['anonymous_id:c1', 'anonymous_id:c2', 'email:ann@acme.com'],
      ['anonymous_id:c3', 'email:bob@x.org'],
    ]);
  });

  it('leaves them to the end of the build elsewhere, with the same result', async () => {
    const kept = await build(true);
    const edgesWrite = firstIndex(kept.sql, /^INSERT INTO "weft_state"\."identity_state_edges"/);
    const pairsDrop = firstIndex(kept.sql, /^DROP TABLE IF EXISTS "temp"\."identity_work_sh_pairs"/);
    expect(pairsDrop).toBeGreaterThan(edgesWrite);
    const dropped = await build(false);
    expect(dropped.map).toEqual(kept.map);
  });
});
