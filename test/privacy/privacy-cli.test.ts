/**
 * `weft privacy` through the compiled CLI on a small project, on DuckDB and (state, sources and
 * all) on Postgres when one is reachable (WEFT_REQUIRE_PG=1 makes its absence a failure): a person is deleted from a
 * file of requests; the source's `privacy.delete` runs, collected events go, the webhook receives
 * a signed delete op, and nothing the CLI prints (stdout, stderr, --json) holds the identifiers in
 * clear. Status shows the configured deadline; export then finds only the suppression.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEmulator } from '../../destinations/webhook/emulator.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { jsonLines, runWeft, tempDir } from '../cli/run-weft.js';
import { postgresTestConfig } from '../support/live-engines.js';

const ANN = { email: 'Ann.Lee@Acme.io', phone: '+1 415 555 2671', user: 'u_ann' };
const BOB = { email: 'bob@acme.io', user: 'u_bob' };
const pgConfig = postgresTestConfig();
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const clearValues = ['ann.lee@acme.io', 'Ann.Lee', '555 2671', '4155552671', 'u_ann'];

function expectNoClear(text: string, where: string): void {
  for (const value of clearValues)
    expect(text.toLowerCase(), `${where} holds ${value}`).not.toContain(value.toLowerCase());
}

/** The suite on one engine: `url` is WEFT_WAREHOUSE_URL (empty: weft.yml's DuckDB file). */
function privacyCliSuite(
  engine: string,
  setup: () => Promise<{ url: string; teardown: () => Promise<void> }>,
): void {
  let dir: string;
  let hook: RunningEmulator;
  let url = '';
  let teardown = async () => {};
  const weft = (...args: string[]) => runWeft(args, { cwd: dir, env: { WEFT_WAREHOUSE_URL: url } });
  const open = (): Promise<Warehouse> =>
    openWarehouse(url ? { type: 'postgres', url } : { type: 'duckdb', path: path.join(dir, 'w.duckdb') }, {
      projectDir: dir,
    });

  beforeAll(async () => {
    ({ url, teardown } = await setup());
    hook = await startEmulator(webhookEmulator, { options: { secret: 'hook-secret' } });
    dir = tempDir('weft-privacy-cli-');
    fs.mkdirSync(path.join(dir, 'models'));
    fs.mkdirSync(path.join(dir, 'syncs'));
    fs.writeFileSync(
      path.join(dir, 'weft.yml'),
      `name: privacy_cli
warehouse: { type: duckdb, path: w.duckdb }
privacy: { deadlines: { gdpr: 30, ccpa: 3 }, warn_days: 5 }
connections:
  hook: { type: webhook, url: "${hook.url}/hooks/weft", secret: hook-secret }
`,
    );
    fs.writeFileSync(
      path.join(dir, 'models/sources.yml'),
      `sources:
  app:
    schema: app
    tables: [people]
    privacy:
      delete: "DELETE FROM app.people WHERE {{hash email}} IN {{suppressed}}"
`,
    );
    fs.writeFileSync(
      path.join(dir, 'models/identity.yml'),
      `identity:
  id_types:
    user_id: {}
    email: { normalize: email }
    phone: { normalize: phone, default_country_code: "1" }
  sources:
    - from: app.people
      key: user_id
      ids: { user_id: user_id, email: email, phone: phone }
`,
    );
    fs.writeFileSync(
      path.join(dir, 'models/profiles.yml'),
      'profiles:\n  traits:\n    email: { from: app.people, column: email, pick: most_recent, order_by: user_id }\n',
    );
    fs.writeFileSync(
      path.join(dir, 'syncs/people_hook.yml'),
      'name: people_hook\nfrom: profiles\nconnection: hook\nmode: upsert\nkey: email\nmappings: { email: email }\n',
    );
    const warehouse = await open();
    try {
      await warehouse.execute('CREATE SCHEMA app; CREATE SCHEMA events');
      await warehouse.execute(`CREATE TABLE app.people AS SELECT * FROM (VALUES
        ('${ANN.user}', '${ANN.email}', '${ANN.phone}'), ('${BOB.user}', '${BOB.email}', NULL)) AS t(user_id, email, phone)`);
      // Ann browsed as a-ann before signing in (m0: no build has her anonymous id yet); a-shared
      // is a computer Ann and Bob both used: it is not hers alone, so Bob's m5 stays.
      await warehouse.execute(`CREATE TABLE events.tracks AS SELECT * FROM (VALUES
        ('m0', NULL, 'a-ann', 'Viewed'), ('m1', '${ANN.user}', 'a-ann', 'Viewed'), ('m2', '${BOB.user}', NULL, 'Viewed'),
        ('m3', '${ANN.user}', 'a-shared', 'Viewed'), ('m4', '${BOB.user}', 'a-shared', 'Viewed'),
        ('m5', NULL, 'a-shared', 'Viewed')) AS t(message_id, user_id, anonymous_id, event)`);
    } finally {
      await warehouse.close();
    }
    for (const args of [['build'], ['sync', 'people_hook']]) {
      const run = await weft(...args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await teardown();
    await hook?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe(`weft privacy (compiled CLI, ${engine})`, () => {
    it('erases a person filed in a file, printing and storing only hashes', async () => {
      const state = () =>
        hook.snapshot().state as { records: Record<string, Record<string, unknown>>; rowsReceived: number };
      const held = () => state().records.people_hook ?? {};
      expect(Object.keys(held()).sort()).toEqual([ANN.email, BOB.email].sort());
      // Access first: the export shows the events an erasure would delete, a-ann's m0 included.
      const access = await weft('privacy', 'export', `email:${ANN.email}`, '--json');
      expect(access.code, access.stderr).toBe(0);
      const [exportBefore] = jsonLines(access.stdout) as Array<{
        events: Array<{ table: string; rows: number; sample: Array<{ message_id: string }> }>;
      }>;
      expect(exportBefore?.events.map((e) => [e.table, e.sample.map((r) => r.message_id).sort()])).toEqual([
        ['tracks', ['m0', 'm1', 'm3']],
      ]);
      fs.writeFileSync(
        path.join(dir, 'requests.txt'),
        `# one person per line, identifiers separated by commas\nemail:${ANN.email}, phone:${ANN.phone}\n`,
      );
      const run = await weft('privacy', 'delete', '--file', 'requests.txt', '--regulation', 'ccpa', '--json');
      expect(run.code, run.stderr).toBe(0);
      expectNoClear(run.stdout + run.stderr, 'privacy delete output');
      const [request] = jsonLines(run.stdout) as Array<{
        request_id: string;
        status: string;
        regulation: string;
        steps: Array<{ step: string; status: string; records: number }>;
      }>;
      expect(request).toMatchObject({ status: 'completed', regulation: 'ccpa', profile_found: true });
      const steps = Object.fromEntries((request?.steps ?? []).map((s) => [s.step, s]));
      expect(steps['sync:people_hook']).toMatchObject({ status: 'acknowledged', records: 1 });
      expect(steps['source:app']).toMatchObject({ status: 'acknowledged' });
      expect(steps['weft:events']).toMatchObject({ status: 'acknowledged', records: 3 });

      // The receiver applied a delete op for the key; the source and events lost only Ann.
      expect(Object.keys(held())).toEqual([BOB.email]);
      const warehouse = await open();
      try {
        expect(await warehouse.query('SELECT user_id FROM app.people')).toEqual([{ user_id: BOB.user }]);
        expect(
          (await warehouse.query('SELECT message_id FROM events.tracks ORDER BY message_id')).map(
            (r) => r.message_id,
          ),
        ).toEqual(['m2', 'm4', 'm5']);
        const hashes = (await warehouse.query('SELECT id_hash, id_type FROM weft_state.suppressions')).map(
          (r) => `${r.id_type}:${r.id_hash}`,
        );
        expect(hashes).toContain(`email:${sha('ann.lee@acme.io')}`);
        expect(hashes).toContain(`user_id:${sha('u_ann')}`);
        expect(hashes).toContain(`anonymous_id:${sha('a-ann')}`);
        expect(hashes).not.toContain(`anonymous_id:${sha('a-shared')}`);
        for (const table of ['suppressions', 'privacy_requests', 'privacy_steps']) {
          expectNoClear(
            JSON.stringify(await warehouse.query(`SELECT * FROM weft_state.${table}`), (_k, v) =>
              typeof v === 'bigint' ? String(v) : v,
            ),
            table,
          );
        }
      } finally {
        await warehouse.close();
      }

      const status = await weft('privacy', 'status', request?.request_id ?? '', '--json');
      expect(status.code).toBe(0);
      const [view] = jsonLines(status.stdout) as Array<{
        due_at: string;
        received_at: string;
        deadline: string | null;
      }>;
      expect(Date.parse(view?.due_at ?? '') - Date.parse(view?.received_at ?? '')).toBe(3 * 86_400_000);
      expect(view?.deadline).toBeNull(); // completed: no deadline pressure

      const exported = await weft('privacy', 'export', `email:${ANN.email}`, '--json');
      expect(exported.code).toBe(0);
      expect(jsonLines(exported.stdout)[0]).toMatchObject({
        suppressed_by: [request?.request_id],
        destinations: [],
      });

      // Bob is untouched and still syncs; Ann is never sent again, even after a rebuild.
      const rowsBefore = state().rowsReceived;
      for (const args of [
        ['build', '--full-refresh'],
        ['sync', 'people_hook', '--full-resync'],
      ]) {
        const again = await weft(...args);
        expect(again.code, again.stderr).toBe(0);
        expectNoClear(again.stdout + again.stderr, args.join(' '));
      }
      expect(Object.keys(held())).toEqual([BOB.email]);
      expect(state().rowsReceived).toBe(rowsBefore + 1); // the full resync sent Bob alone
    }, 120_000);

    it('flags an open request due within warn_days and exits 1', async () => {
      const run = await weft(
        'privacy',
        'delete',
        'email:nobody@example.net',
        '--regulation',
        'ccpa',
        '--queue-only',
        '--json',
      );
      expect(run.code).toBe(1); // steps left pending by --queue-only
      const status = await weft('privacy', 'status', '--json');
      expect(status.code).toBe(1);
      const views = jsonLines(status.stdout) as Array<{
        status: string;
        deadline: string | null;
        days_left: number;
      }>;
      expect(views.find((v) => v.status === 'open')).toMatchObject({ deadline: 'due_soon', days_left: 2 });
      expect(status.stderr).toBe(''); // --json, stderr not a terminal: the views say it
    }, 60_000);
  });
}

privacyCliSuite('duckdb', async () => ({ url: '', teardown: async () => {} }));

if (pgConfig) {
  privacyCliSuite('postgres', async () => {
    const database = `weft_privacy_${randomBytes(4).toString('hex')}`;
    const admin = await openWarehouse(pgConfig, { projectDir: process.cwd() });
    await admin.execute(`CREATE DATABASE ${admin.dialect.quoteIdent(database)}`);
    const server = new URL(pgConfig.url ?? '');
    server.pathname = `/${database}`;
    return {
      url: server.toString(),
      teardown: async () => {
        await admin.execute(`DROP DATABASE IF EXISTS ${admin.dialect.quoteIdent(database)} WITH (FORCE)`);
        await admin.close();
      },
    };
  });
}
