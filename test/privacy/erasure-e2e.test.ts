/**
 * Erasure end to end on the seeded demo (DuckDB) with every sandbox emulator: a VIP synced to
 * every destination is exported, then deleted. Salesforce fails with 5xx past the retries (the
 * step stays pending and `runPendingSteps` finishes it later), HubSpot fails once and is retried
 * in the same pass, Slack cannot delete (reported, the others complete). Afterwards no emulator
 * holds them, the ledger has one acknowledged step per destination, a rebuild and every sync
 * leave them out, export finds only the suppression, and no privacy table holds a clear value.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/index.js';
import { exportPerson } from '../../src/privacy/export.js';
import { createErasureRequests, runPendingSteps } from '../../src/privacy/requests.js';
import { privacyStatus } from '../../src/privacy/status.js';
import { runSync } from '../../src/sync/run-sync.js';
import { openWarehouse as openWh } from '../../src/warehouse/registry.js';
import type { Row } from '../../src/warehouse/types.js';
import { type PrivacyFixture, privacyFixture } from './fixture.js';

let f: PrivacyFixture;
let person: { profile_id: string; email: string; phone: string | null };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const FAST_RETRY = { retry: { maxAttempts: 2, baseMs: 1, maxMs: 5 } };

/** An emulator's records as JSON, without its request log (which keeps what was asked of it). */
function held(name: string): string {
  const state = f.sandbox.emulators[name]?.snapshot().state as Record<string, unknown>;
  const { requests: _requests, lastBodies: _bodies, ...records } = state;
  return JSON.stringify(records);
}

beforeAll(async () => {
  f = await privacyFixture(150);
  const [row] = await f.warehouse.query(
    'SELECT profile_id, email, phone FROM weft.audience_high_value_recent WHERE phone IS NOT NULL ORDER BY profile_id LIMIT 1',
  );
  person = row as typeof person;
}, 240_000);
afterAll(async () => {
  await f?.dispose();
});

describe('weft privacy on the demo, through every sandbox destination', () => {
  it('exports, erases everywhere with retries, reports what cannot delete, and keeps them out', async () => {
    const w = f.warehouse;
    const hashedEmail = sha(person.email.trim().toLowerCase());
    const before = await exportPerson(f.project, w, `email:${person.email}`);
    expect(before.profile_id).toBe(person.profile_id);
    const syncs = before.destinations.map((d) => d.sync).sort();
    expect(syncs).toEqual(
      expect.arrayContaining([
        'braze_vip',
        'google_ads_vip',
        'hubspot_contacts',
        'hubspot_vip_list',
        'klaviyo_vip',
        'mailchimp_vip',
        'meta_vip',
        'salesforce_contacts',
        'slack_vip',
        'vip_audience_webhook',
      ]),
    );
    expect(before.source_rows.map((s) => s.source)).toContain('stg_shop_customers');
    expect(held('hubspot')).toContain(person.email);
    expect(held('google_ads')).toContain(hashedEmail);

    // Salesforce answers 503 to more requests than one pass retries; HubSpot to one request.
    f.sandbox.emulators.salesforce?.injectFaults({ fail: [{ kind: 'status', status: 503, count: 2 }] });
    f.sandbox.emulators.hubspot?.injectFaults({ fail: [{ kind: 'status', status: 503, count: 1 }] });
    const [filed] = await createErasureRequests(f.project, w, [[`email:${person.email}`]]);
    const id = filed?.request_id as string;
    expect(filed?.profile_found).toBe(true);
    // Destinations erase side by side, each on its own connection.
    const openWarehouse = () => openWh(f.project.config.warehouse, { projectDir: f.dir });
    await runPendingSteps(f.project, w, { ...FAST_RETRY, openWarehouse });
    const statusOf = async () =>
      Object.fromEntries(
        (
          (await privacyStatus(w, 'weft_state', { requestId: id, now: new Date(), warnDays: 7 }))[0]?.steps ??
          []
        ).map((s) => [s.step, s]),
      );
    let steps = await statusOf();
    expect(steps['sync:salesforce_contacts']).toMatchObject({ status: 'pending', attempts: 1 });
    expect(steps['sync:salesforce_contacts']?.last_error).toMatch(/gave up after 2 attempts/);
    expect(steps['sync:hubspot_contacts']).toMatchObject({ status: 'acknowledged', records: 1 });
    expect(steps['sync:slack_vip']).toMatchObject({ status: 'unsupported', action: 'none' });
    expect(steps['sync:slack_vip']?.last_error).toMatch(/slack destination has no deletion API/);

    // The restart: the pending step is retried and completes.
    await runPendingSteps(f.project, w, FAST_RETRY);
    steps = await statusOf();
    const destinations = Object.values(steps).filter(
      (s) => s.step.startsWith('sync:') && s.step !== 'sync:slack_vip',
    );
    expect(destinations.length).toBeGreaterThanOrEqual(9);
    for (const step of destinations) expect(step, step.step).toMatchObject({ status: 'acknowledged' });
    expect(steps['sync:salesforce_contacts']?.attempts).toBe(2);
    expect(steps['sync:klaviyo_vip']?.action).toBe('klaviyo.data_privacy_deletion_job');
    expect(steps['weft:identity']).toMatchObject({ status: 'acknowledged', records: 1 });
    const [request] = await privacyStatus(w, 'weft_state', { requestId: id, now: new Date(), warnDays: 7 });
    expect(request?.status).toBe('completed_with_exceptions');

    // No emulator holds them (hashed audiences included), nor does the webhook receiver.
    for (const name of ['hubspot', 'mailchimp', 'klaviyo', 'webhook'])
      expect(held(name), name).not.toContain(person.email);
    for (const name of ['salesforce', 'braze']) expect(held(name), name).not.toContain(person.profile_id);
    for (const name of ['google_ads', 'meta']) expect(held(name), name).not.toContain(hashedEmail);

    // The next build and every sync leave them out.
    await buildProject(f.project, w, {});
    const map = await w.query(
      `SELECT count(*) AS n FROM weft.identity_map WHERE profile_id = '${person.profile_id}' OR id_value = '${person.email}'`,
    );
    expect(Number(map[0]?.n)).toBe(0);
    const full = await buildProject(f.project, w, { fullRefresh: true });
    expect(full.models.every((m) => m.status === 'success')).toBe(true);
    expect(
      Number(
        (await w.query(`SELECT count(*) AS n FROM weft.profiles WHERE email = '${person.email}'`))[0]?.n,
      ),
    ).toBe(0);
    for (const { value: config } of f.project.syncs) await runSync(f.project, w, config);
    for (const name of ['hubspot', 'mailchimp', 'klaviyo', 'webhook'])
      expect(held(name), name).not.toContain(person.email);
    for (const name of ['google_ads', 'meta']) expect(held(name), name).not.toContain(hashedEmail);

    // Export finds nothing but the suppression record.
    const after = await exportPerson(f.project, w, `email:${person.email}`);
    expect(after).toMatchObject({ suppressed_by: [id], destinations: [], source_rows: [], events: [] });

    // Only hashes in the privacy tables.
    const clear = [person.email, person.profile_id, ...(person.phone ? [person.phone] : [])];
    for (const table of ['privacy_requests', 'privacy_steps', 'suppressions']) {
      const rows: Row[] = await w.query(`SELECT * FROM weft_state.${table}`);
      const text = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
      for (const value of clear) expect(text, table).not.toContain(value);
    }
  }, 240_000);
});
