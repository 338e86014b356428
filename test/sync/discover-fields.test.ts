/**
 * Field discovery (DestinationSpec.discoverFields): prepareSync — and so `weft plan` and
 * `weft sync` — checks the mappings against the destination's live schema before a run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DestinationError, defineDestination, type FieldSpec } from '../../src/destination-kit/index.js';
import { SyncConfigError, SyncUnavailableError } from '../../src/sync/index.js';
import { closestFields, columnKind, unknownFieldError } from '../../src/sync/mapping/field-checks.js';
import { prepareSync, runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, projectWith, syncConfig } from './helpers.js';

const LIVE_FIELDS: Record<string, FieldSpec> = {
  email: { type: 'string' },
  firstname: { type: 'string' },
  lastname: { type: 'string' },
  tier: { type: 'string', options: ['gold', 'silver', 'bronze'] },
  score: { type: 'number' },
  createdate: { type: 'datetime', readOnly: true },
};

/** An in-memory destination whose schema is only known by asking it. */
function liveSchemaDestination(discover: () => Promise<Record<string, FieldSpec>>) {
  const received: Array<Record<string, unknown>> = [];
  let discoveries = 0;
  const destination = defineDestination({
    type: 'test_live_schema',
    description: 'in-memory, schema discovered at run time',
    settings: z.object({}),
    capabilities: { modes: ['upsert'], batch: { maxRecords: 10 }, concurrency: 1 },
    discoverFields: async (ctx) => {
      discoveries++;
      expect(ctx.object).toBe('contacts');
      return discover();
    },
    upsert: async (_ctx, records) => {
      received.push(...records.map((r) => r.fields));
      return records.map(() => ({ status: 'ok' as const }));
    },
  });
  return { destination, received, discoveries: () => discoveries };
}

describe('field discovery', () => {
  let dir: string;
  let warehouse: Warehouse;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-discover-'));
    warehouse = await memoryWarehouse();
    await warehouse.execute(
      "CREATE TABLE app.people AS SELECT * FROM (VALUES ('a@x', 'Ann', 'gold', 1.5, TIMESTAMP '2025-01-02 03:04:05'), ('b@x', 'Bob', 'platinum', 2.0, TIMESTAMP '2025-02-03 00:00:00'), ('c@x', 'Cy', 'bronze', 3.0, TIMESTAMP '2025-03-04 00:00:00')) AS t(email, name, tier, score, seen_at)",
    );
  });
  afterEach(async () => {
    await warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const config = (mappings: Record<string, string>) =>
    syncConfig({ from: 'app.people', object: 'contacts', mappings });
  const prepare = (
    mappings: Record<string, string>,
    dest = liveSchemaDestination(async () => LIVE_FIELDS),
  ) => {
    const sync = config(mappings);
    return prepareSync(projectWith(dir, {}, [sync]), warehouse, sync, dest.destination);
  };
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyncConfigError);
    return (error as Error).message;
  };

  it('compiles a mapping that fits the live schema, asking the destination once', async () => {
    const dest = liveSchemaDestination(async () => LIVE_FIELDS);
    const { mapper } = await prepare({ email: 'email', firstname: 'name', score: 'score' }, dest);
    expect(dest.discoveries()).toBe(1);
    expect(mapper.map({ email: 'a@x', name: 'Ann', score: 1.5 })).toEqual({
      ok: true,
      fields: { email: 'a@x', firstname: 'Ann', score: 1.5 },
    });
  });

  it('refuses a mapping to an unknown field, naming it and the closest matches', async () => {
    const message = await failure(prepare({ email: 'email', first_name: 'name' }));
    expect(message).toContain("mapping 'first_name'");
    expect(message).toContain('no such field');
    expect(message).toMatch(/closest: firstname/);
  });

  it('refuses a mapping to a read-only field', async () => {
    expect(await failure(prepare({ email: 'email', createdate: 'seen_at' }))).toMatch(
      /'createdate'.*read-only/,
    );
  });

  it('refuses a column whose type can never fit the field, but not templates', async () => {
    const message = await failure(prepare({ email: 'email', score: 'seen_at' }));
    expect(message).toMatch(/column 'seen_at' is TIMESTAMP.*number field/);
    await expect(prepare({ email: 'email', firstname: 'seen_at' })).resolves.toBeDefined();
    await expect(prepare({ email: 'email', score: "{{date seen_at 'YYYY'}}" })).resolves.toBeDefined();
  });

  it('stops runSync before anything is sent, recording the failed run with its cause', async () => {
    const dest = liveSchemaDestination(async () => LIVE_FIELDS);
    const sync = config({ email: 'email', frstname: 'name' });
    const run = runSync(projectWith(dir, {}, [sync]), warehouse, sync, { destination: dest.destination });
    expect(await failure(run)).toMatch(/'frstname'.*closest: firstname/);
    expect(dest.received).toEqual([]);
    const tables = await warehouse.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'weft_state' AND table_name LIKE 'snapshot_%'",
    );
    expect(tables).toEqual([]);
    const runs = await warehouse.query('SELECT sync, status, error FROM weft_state.sync_runs');
    expect(runs).toEqual([
      { sync: sync.name, status: 'failed', error: expect.stringMatching(/'frstname'.*closest: firstname/) },
    ]);
  });

  it('is a config error when the schema cannot be read (bad credentials)', async () => {
    const dest = liveSchemaDestination(async () => {
      throw new DestinationError('auth', 'not authorised (HTTP 401)');
    });
    expect(await failure(prepare({ email: 'email' }, dest))).toMatch(
      /cannot read the fields of test_live_schema object 'contacts'.*401/,
    );
  });

  it('is not a config error when the destination is out of quota: the run fails, the config stands', async () => {
    const dest = liveSchemaDestination(async () => {
      throw new DestinationError('quota', 'daily limit reached (HTTP 429 DAILY)');
    });
    const error = await prepare({ email: 'email' }, dest).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyncUnavailableError);
    expect(error).not.toBeInstanceOf(SyncConfigError);
    expect((error as Error).message).toMatch(/cannot read the fields.*daily limit reached/);
  });

  it('retries a transient failure while reading the schema', async () => {
    let calls = 0;
    const dest = liveSchemaDestination(async () => {
      calls++;
      if (calls === 1) throw new DestinationError('rate_limit', 'slow down', { retryAfterMs: 1 });
      return LIVE_FIELDS;
    });
    await expect(prepare({ email: 'email' }, dest)).resolves.toBeDefined();
    expect(calls).toBe(2);
  });

  it('rejects a row whose enumeration value is not allowed, with the allowed values', async () => {
    const dest = liveSchemaDestination(async () => LIVE_FIELDS);
    const sync = config({ email: 'email', tier: 'tier' });
    const outcome = await runSync(projectWith(dir, {}, [sync]), warehouse, sync, {
      destination: dest.destination,
    });
    expect(outcome.summary).toMatchObject({ status: 'partial', succeeded: 2, rejected: 1 });
    expect(dest.received.map((f) => f.tier)).toEqual(expect.arrayContaining(['gold', 'bronze']));
    const rows = await warehouse.query<{ key: string; reason: string }>(
      'SELECT key, reason FROM weft_state.sync_rejections',
    );
    expect(rows).toEqual([
      {
        key: 'b@x',
        reason: "field 'tier' 'platinum' is not an allowed value (allowed: gold, silver, bronze)",
      },
    ]);
  });
});

describe('field checks', () => {
  it('reads column kinds from every dialect spelling', () => {
    const kinds = Object.fromEntries(
      [
        'TIMESTAMP WITH TIME ZONE',
        'timestamp without time zone',
        'DATE',
        'BIGINT',
        'NUMBER(38,0)',
        'FLOAT64',
        'DECIMAL(18,2)',
        'BOOLEAN',
        'BOOL',
        'VARCHAR',
        'character varying',
        'STRING',
        'JSON',
      ].map((type) => [type, columnKind(type)]),
    );
    expect(kinds).toEqual({
      'TIMESTAMP WITH TIME ZONE': 'temporal',
      'timestamp without time zone': 'temporal',
      DATE: 'temporal',
      BIGINT: 'number',
      'NUMBER(38,0)': 'number',
      FLOAT64: 'number',
      'DECIMAL(18,2)': 'number',
      BOOLEAN: 'boolean',
      BOOL: 'boolean',
      VARCHAR: 'text',
      'character varying': 'text',
      STRING: 'text',
      JSON: 'other',
    });
  });

  it('suggests the closest field names, best first, and none for a name far from all', () => {
    const names = ['firstname', 'lastname', 'email', 'hs_email_domain', 'phone', 'lifetime_value'];
    expect(closestFields('first_name', names)).toEqual(['firstname', 'lastname']);
    expect(closestFields('lifetimevalue', names)).toEqual(['lifetime_value']);
    expect(closestFields('zodiac_sign', names)).toEqual([]);
    expect(
      unknownFieldError('zodiac_sign', Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])))
        .message,
    ).toBe(
      "mapping 'zodiac_sign': the destination has no such field (fields: firstname, lastname, email, hs_email_domain, phone, lifetime_value)",
    );
  });
});
