import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileMappings } from '../../src/sync/mapping/compile.js';
import { planSync, samplePlanRows } from '../../src/sync/planner/plan.js';
import type { ResolvedSync } from '../../src/sync/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, resolved, setPeople, syncConfig } from './helpers.js';

/** Pretends every current plan row of kind added/changed was acknowledged, and removals applied. */
async function acknowledgeAll(warehouse: Warehouse, sync: ResolvedSync): Promise<void> {
  const snap = warehouse.dialect.qualify(sync.snapshot);
  const plan = warehouse.dialect.qualify(sync.plan);
  await warehouse.execute(
    `DELETE FROM ${snap} WHERE key IN (SELECT __weft_key FROM ${plan} WHERE __weft_change IN ('changed','removed'))`,
  );
  await warehouse.execute(
    `INSERT INTO ${snap} (key, hash) SELECT __weft_key, __weft_hash FROM ${plan} WHERE __weft_change IN ('added','changed')`,
  );
}

describe('planner', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await memoryWarehouse();
    await warehouse.execute('CREATE SCHEMA weft_state');
  });
  afterEach(async () => warehouse.close());

  const columns = ['email', 'name', 'score'];
  const mapper = (mappings: Record<string, string> = { email: 'email', name: 'name' }) =>
    compileMappings(mappings, columns, undefined);

  it('classifies added, changed, removed and unchanged in one pass', async () => {
    const sync = resolved(syncConfig());
    await setPeople(warehouse, [
      ['a@x', 'Ann', 1],
      ['b@x', 'Bob', 2],
      ['c@x', 'Cy', 3],
    ]);
    const first = await planSync(warehouse, sync, mapper());
    expect(first.counts).toEqual({
      added: 3,
      changed: 0,
      removed: 0,
      unchanged: 0,
      invalid: { null_keys: 0, duplicate_keys: 0 },
    });
    await acknowledgeAll(warehouse, sync);
    // b changes name, c leaves, d arrives, a's score changes but score is not mapped.
    await setPeople(warehouse, [
      ['a@x', 'Ann', 99],
      ['b@x', 'Bobby', 2],
      ['d@x', 'Di', 4],
    ]);
    const second = await planSync(warehouse, sync, mapper());
    expect(second.counts).toMatchObject({ added: 1, changed: 1, removed: 1, unchanged: 1 });
    expect(second.snapshotRows).toBe(3);
    expect(await samplePlanRows(warehouse, sync, 'changed')).toEqual([
      { key: 'b@x', email: 'b@x', name: 'Bobby' },
    ]);
    expect(await samplePlanRows(warehouse, sync, 'removed')).toEqual([{ key: 'c@x' }]);
  });

  it('re-sends everything when the mapping changes or on a full resync', async () => {
    const sync = resolved(syncConfig());
    await setPeople(warehouse, [
      ['a@x', 'Ann', 1],
      ['b@x', 'Bob', 2],
    ]);
    await planSync(warehouse, sync, mapper());
    await acknowledgeAll(warehouse, sync);
    expect((await planSync(warehouse, sync, mapper())).counts).toMatchObject({ changed: 0, unchanged: 2 });
    const remapped = await planSync(warehouse, sync, mapper({ email: 'email', name: '{{upper name}}' }));
    expect(remapped.counts).toMatchObject({ changed: 2, unchanged: 0 });
    const full = await planSync(warehouse, sync, mapper(), { fullResync: true });
    expect(full.counts).toMatchObject({ added: 0, changed: 2, unchanged: 0 });
  });

  it('counts null and duplicate keys, excludes them, and keeps their snapshot rows', async () => {
    const sync = resolved(syncConfig());
    await setPeople(warehouse, [
      ['a@x', 'Ann', 1],
      ['b@x', 'Bob', 2],
    ]);
    await planSync(warehouse, sync, mapper());
    await acknowledgeAll(warehouse, sync);
    await setPeople(warehouse, [
      ['a@x', 'Ann', 1],
      ['b@x', 'Bob', 2],
      ['b@x', 'Bob 2', 2],
      [null, 'Nobody', 0],
      [null, 'Nobody else', 0],
      ['e@x', 'Eve', 5],
      ['e@x', 'Eve', 5],
    ]);
    const plan = await planSync(warehouse, sync, mapper());
    expect(plan.counts).toEqual({
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: 1,
      invalid: { null_keys: 2, duplicate_keys: 4 },
    });
  });

  it('finds repeated keys whether they are new, copies of a sent row, or read through a view', async () => {
    const sync = resolved(syncConfig());
    await setPeople(warehouse, [
      ['a@x', 'Ann', 1],
      ['b@x', 'Bob', 2],
    ]);
    await planSync(warehouse, sync, mapper());
    await acknowledgeAll(warehouse, sync);
    const kinds = async () =>
      warehouse.query(
        `SELECT __weft_key AS key, __weft_change AS change, count(*) AS n FROM ${warehouse.dialect.qualify(sync.plan)} GROUP BY 1, 2 ORDER BY 1, 2`,
      );
    // Only new keys repeat: every copy is a new row, so the plan table alone can tell.
    await setPeople(warehouse, [
      ['a@x', 'Ann', 1],
      ['b@x', 'Bob', 2],
      ['n@x', 'New', 3],
      ['n@x', 'New', 3],
      ['o@x', 'Other', 4],
    ]);
    expect((await planSync(warehouse, sync, mapper())).counts).toEqual({
      added: 1,
      changed: 0,
      removed: 0,
      unchanged: 2,
      invalid: { null_keys: 0, duplicate_keys: 2 },
    });
    expect(await kinds()).toEqual([
      { key: 'n@x', change: 'duplicate_key', n: 2 },
      { key: 'o@x', change: 'added', n: 1 },
    ]);
    // A sent key repeats with the very values it was sent with: no copy differs from the
    // snapshot, so only counting the source reveals it.
    const copies: Array<[string, string, number]> = [
      ['a@x', 'Ann', 1],
      ['a@x', 'Ann', 1],
      ['b@x', 'Bob', 2],
    ];
    await setPeople(warehouse, copies);
    const expected = {
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: 1,
      invalid: { null_keys: 0, duplicate_keys: 2 },
    };
    expect((await planSync(warehouse, sync, mapper())).counts).toEqual(expected);
    expect(await kinds()).toEqual([{ key: 'a@x', change: 'duplicate_key', n: 2 }]);
    // The same rows behind a view (planned with the exact statement).
    await warehouse.execute('CREATE SCHEMA IF NOT EXISTS v');
    await warehouse.execute('CREATE VIEW v.people AS SELECT * FROM app.people');
    const viaView = { ...sync, source: { schema: 'v', name: 'people' } };
    expect((await planSync(warehouse, viaView, mapper())).counts).toEqual(expected);
    expect(await kinds()).toEqual([{ key: 'a@x', change: 'duplicate_key', n: 2 }]);
  });

  it('trips the mass-delete guardrail for mirror syncs only, unless allowed', async () => {
    await setPeople(warehouse, [
      ['a@x', 'Ann', 1],
      ['b@x', 'Bob', 2],
      ['c@x', 'Cy', 3],
    ]);
    const mirror = resolved(syncConfig({ name: 'm', mode: 'mirror', guardrails: { max_delete_pct: 40 } }));
    await planSync(warehouse, mirror, mapper());
    await acknowledgeAll(warehouse, mirror);
    await setPeople(warehouse, [['a@x', 'Ann', 1]]);
    const tripped = await planSync(warehouse, mirror, mapper());
    expect(tripped.guardrail.tripped).toBe(true);
    expect(tripped.guardrail.reason).toMatch(/removing 2 of 3 .*66\.7%.*max_delete_pct 40%/);
    const allowed = await planSync(warehouse, mirror, mapper(), { allowMassDelete: true });
    expect(allowed.guardrail).toMatchObject({ tripped: false, overridden: true });
    await setPeople(warehouse, []);
    const empty = await planSync(
      warehouse,
      { ...mirror, config: { ...mirror.config, guardrails: { max_delete_pct: 100 } } },
      mapper(),
    );
    expect(empty.guardrail.reason).toMatch(/source returned no rows/);
    const upsert = resolved(syncConfig({ name: 'm', mode: 'upsert' }));
    expect((await planSync(warehouse, upsert, mapper())).guardrail.tripped).toBe(false);
  });
});
