/**
 * Consent from collected events and from a source column: `context.consent.categoryPreferences`
 * (as the collector lands it) where the person's latest event decides, found through
 * identity_map by user_id or anonymous_id; and an identity source's consent column, linked by
 * identity_rows. A person is sent only when every purpose has a signal and none refuses; a later
 * refusal event removes them from the mirror sync.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEmulator } from '../../destinations/webhook/emulator.js';
import type { IdentityConfig, Project, SyncConfig } from '../../src/config/types.js';
import { consentEventColumn } from '../../src/privacy/consent.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, projectWith, syncConfig } from '../sync/helpers.js';

let hook: RunningEmulator;
let warehouse: Warehouse;
let dir: string;
let project: Project;
const sync = syncConfig({
  name: 'newsletter',
  from: 'app.people',
  mode: 'mirror',
  key: 'profile_id',
  mappings: { email: 'email' },
  consent: ['marketing', 'analytics'],
} as Partial<SyncConfig>);
const held = () =>
  Object.keys(
    (hook.snapshot().state as { records: Record<string, Record<string, unknown>> }).records.newsletter ?? {},
  ).sort();
const column = consentEventColumn('Marketing');

beforeAll(async () => {
  hook = await startEmulator(webhookEmulator, {});
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-consent-signals-'));
  warehouse = await memoryWarehouse();
  project = projectWith(dir, hook.settings, [sync]);
  project.config.privacy = {
    regulation: 'gdpr',
    deadlines: { gdpr: 30, ccpa: 45 },
    warn_days: 7,
    consent: {
      marketing: { events: 'Marketing', user_id_type: 'user_id', anonymous_id_type: 'anonymous_id' },
      analytics: {
        source: 'app.crm',
        column: 'analytics_ok',
        user_id_type: 'user_id',
        anonymous_id_type: 'anonymous_id',
      },
    },
  };
  project.sources[0]?.tables.push({ name: 'crm', identifier: 'crm' } as never);
  project.identity = {
    id_types: { email: {}, user_id: {}, anonymous_id: {} },
    sources: [{ from: 'app.crm', key: 'id', ids: { email: 'email' } }],
  } as unknown as IdentityConfig;
  const run = (sql: string) => warehouse.execute(sql);
  await run(`CREATE TABLE app.people AS SELECT * FROM (VALUES
    ('p1', 'p1@x.io'), ('p2', 'p2@x.io'), ('p3', 'p3@x.io'), ('p4', 'p4@x.io')) AS t(profile_id, email)`);
  await run(`CREATE TABLE app.identity_map AS SELECT * FROM (VALUES
    ('user_id', 'u1', 'p1'), ('user_id', 'u2', 'p2'), ('anonymous_id', 'a3', 'p3'), ('user_id', 'u4', 'p4'))
    AS t(id_type, id_value, profile_id)`);
  await run('CREATE SCHEMA events');
  // Segment's context.consent.categoryPreferences.Marketing, as the lander flattens it.
  await run(`CREATE TABLE events.tracks AS SELECT user_id, anonymous_id, CAST(ts AS TIMESTAMP) AS "timestamp", ok AS ${column}
    FROM (VALUES ('u1', NULL, '2026-01-01', true), ('u2', NULL, '2026-01-01', true), ('u2', NULL, '2026-01-05', false),
      (NULL, 'a3', '2026-01-02', true), ('u4', NULL, '2026-01-01', NULL)) AS t(user_id, anonymous_id, ts, ok)`);
  await run(`CREATE TABLE events.identifies AS SELECT 'u4' AS user_id, CAST(NULL AS VARCHAR) AS anonymous_id,
    TIMESTAMP '2026-01-03' AS "timestamp", true AS ${column}`);
  await run(`CREATE TABLE app.crm AS SELECT * FROM (VALUES
    ('c1', 'p1@x.io', 'yes'), ('c2', 'p2@x.io', 'yes'), ('c3', 'p3@x.io', NULL), ('c4', 'p4@x.io', 'no'))
    AS t(id, email, analytics_ok)`);
  await run(`CREATE TABLE app.identity_rows AS SELECT * FROM (VALUES
    ('app.crm', 'c1', 'p1'), ('app.crm', 'c2', 'p2'), ('app.crm', 'c3', 'p3'), ('app.crm', 'c4', 'p4'))
    AS t(source, row_key, profile_id)`);
});
afterAll(async () => {
  await warehouse?.close();
  await hook?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('consent signals', () => {
  it('reads events (latest wins) and a source column; a later refusal removes the person', async () => {
    // marketing: p1, p3 (anonymous id), p4 (identify); p2's latest event refuses.
    // analytics: p1, p2; p3 has no value, p4 refuses. Both: p1 only.
    const first = await runSync(project, warehouse, sync);
    expect(first.plan?.counts).toMatchObject({ added: 1, held_back_by_consent: 3 });
    expect(held()).toEqual(['p1']);

    await warehouse.execute("UPDATE app.crm SET analytics_ok = 'granted' WHERE id = 'c3'");
    await warehouse.execute(`INSERT INTO events.tracks VALUES ('u1', NULL, TIMESTAMP '2026-02-01', false)`);
    const second = await runSync(project, warehouse, sync, { allowMassDelete: true }); // 1 of 1 sent
    expect(second.plan?.counts).toMatchObject({ added: 1, removed: 1, held_back_by_consent: 3 });
    expect(second.summary, JSON.stringify(second.summary)).toMatchObject({ status: 'success' });
    expect(held()).toEqual(['p3']);
  });
});
