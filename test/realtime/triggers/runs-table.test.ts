/**
 * trigger_runs' SQL on DuckDB and Postgres (when reachable; a failure under WEFT_REQUIRE_PG=1):
 * batched insert, dedupe and cap reads, batched outcome updates, pending rows for a restart.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type TriggerRunRow, TriggerRuns } from '../../../src/realtime/triggers/index.js';
import { toDate } from '../../../src/warehouse/js-values.js';
import { openWarehouse } from '../../../src/warehouse/registry.js';
import type { Warehouse, WarehouseConnectionConfig } from '../../../src/warehouse/types.js';
import { postgresTestConfig, uniqueSchema } from '../../support/live-engines.js';

const T0 = new Date('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function row(id: string, person: string, status: TriggerRunRow['status'], fired: Date): TriggerRunRow {
  return {
    firing_id: id,
    trigger_name: 'vip',
    message_id: `m-${id}`,
    event_type: 'page',
    event_name: null,
    source: 'web',
    person_key: person,
    profile_id: null,
    connection: 'slack',
    status,
    reason: status === 'capped' ? "it's capped" : null,
    event_at: fired,
    fired_at: fired,
    next_attempt_at: null,
    delivered_at: null,
    attempts: 0,
    payload: JSON.stringify({ key: id, fields: { text: 'Ünïcode \\ "quotes" \'single\'' } }),
    updated_at: fired,
  };
}

const engines: Array<[string, WarehouseConnectionConfig | undefined]> = [
  ['duckdb', { type: 'duckdb', path: ':memory:' }],
  ['postgres', postgresTestConfig()],
];
const opened: Array<{ warehouse: Warehouse; schema: string }> = [];

afterAll(async () => {
  for (const { warehouse, schema } of opened) {
    await warehouse.execute(`DROP SCHEMA IF EXISTS ${warehouse.dialect.quoteIdent(schema)} CASCADE`);
    await warehouse.close();
  }
});

describe.each(engines)('trigger_runs on %s', (_name, config) => {
  it.runIf(config)('records, dedupes, caps, updates and resumes', async () => {
    const warehouse = await openWarehouse(config as WarehouseConnectionConfig, { projectDir: process.cwd() });
    const schema = uniqueSchema('weft_trig');
    opened.push({ warehouse, schema });
    const runs = new TriggerRuns(warehouse, schema);
    await runs.ensure();
    await runs.ensure(); // idempotent
    await runs.insert([
      row('a', 'profile:1', 'pending', at(0)),
      row('b', 'profile:1', 'capped', at(1)),
      row('c', 'profile:2', 'pending', at(2)),
      row('old', 'profile:3', 'delivered', at(-60 * 48)),
    ]);
    expect(await runs.existing(['a', 'b', 'zzz', 'old'], at(-60))).toEqual(new Set(['a', 'b']));
    const last = await runs.lastFirings(
      [
        ['vip', 'profile:1'],
        ['vip', 'profile:2'],
        ['vip', 'profile:3'],
      ],
      at(-60 * 24),
    );
    expect([...last].map(([k, v]) => [k.replace('\u0000', '/'), v.toISOString()])).toEqual(
      expect.arrayContaining([
        ['vip/profile:1', at(0).toISOString()],
        ['vip/profile:2', at(2).toISOString()],
      ]),
    );
    expect(last.size).toBe(2); // capped rows do not count; profile 3 fired before the window

    await runs.update([
      {
        firing_id: 'a',
        status: 'delivered',
        reason: null,
        attempts: 2,
        delivered_at: at(3),
        updated_at: at(3),
      },
    ]);
    const pending = await runs.pending();
    expect(pending.map((r) => [r.firing_id, r.attempts])).toEqual([['c', 0]]);
    expect(JSON.parse(pending[0]!.payload!).fields.text).toBe('Ünïcode \\ "quotes" \'single\'');
    const [a] = await warehouse.query(
      `SELECT status, attempts, delivered_at FROM ${warehouse.dialect.qualify(runs.table)} WHERE firing_id = 'a'`,
    );
    expect({ ...a, attempts: Number(a!.attempts), delivered_at: toDate(a!.delivered_at).getTime() }).toEqual({
      status: 'delivered',
      attempts: 2,
      delivered_at: at(3).getTime(),
    });
  });
});
