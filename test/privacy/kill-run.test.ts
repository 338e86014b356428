/**
 * kill -9 in the middle of `weft privacy run`: the HubSpot and Salesforce emulators hold the
 * first request each receives, and the process is SIGKILLed while both are in flight. Nothing is
 * lost: the held steps are still pending (never acknowledged without the vendor's answer). The
 * next run, with Salesforce answering 503 past its retries, erases everywhere else and leaves
 * Salesforce pending; the one after completes it. Every planned step ends final exactly once.
 * The kept starting map of an interrupted build (`identity_state_prev_map`) loses the person too.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErasureRequests } from '../../src/privacy/requests.js';
import { privacyStatus, type StepStatusView } from '../../src/privacy/status.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { repoRoot, weftIn } from '../cli/run-weft.js';
import { waitFor } from '../serve/project.js';
import { type PrivacyFixture, privacyFixture, sandboxEnv } from './fixture.js';

let f: PrivacyFixture;
let person: { profile_id: string; email: string };
let requestId: string;

/** The request's steps by name, read on a connection opened and closed for it (the CLI needs the file). */
async function steps(): Promise<Record<string, StepStatusView>> {
  const w = await openWarehouse(f.project.config.warehouse, { projectDir: f.dir });
  try {
    const [view] = await privacyStatus(w, 'weft_state', { requestId, now: new Date(), warnDays: 7 });
    return Object.fromEntries((view?.steps ?? []).map((s) => [s.step, s]));
  } finally {
    await w.close();
  }
}

function held(name: string): string {
  const state = (f.sandbox.emulators[name]?.snapshot().state ?? {}) as Record<string, unknown>;
  const { requests: _requests, lastBodies: _bodies, ...records } = state;
  return JSON.stringify(records);
}

beforeAll(async () => {
  f = await privacyFixture(40);
  const [row] = await f.warehouse.query(
    'SELECT profile_id, email FROM weft.audience_high_value_recent ORDER BY profile_id LIMIT 1',
  );
  person = row as typeof person;
  // A build interrupted after keeping its starting map (identity/previous-map.ts): it holds values.
  const w = f.warehouse;
  await w.execute(
    'CREATE TABLE IF NOT EXISTS weft_state.identity_state_prev_map (id_type VARCHAR, id_value VARCHAR, profile_id VARCHAR)',
  );
  await w.execute(`INSERT INTO weft_state.identity_state_prev_map SELECT id_type, id_value, profile_id FROM weft.identity_map
WHERE profile_id IN ('${person.profile_id}', (SELECT min(profile_id) FROM weft.identity_map WHERE profile_id <> '${person.profile_id}'))`);
  const [filed] = await createErasureRequests(f.project, f.warehouse, [[`email:${person.email}`]]);
  requestId = filed?.request_id as string;
  await f.warehouse.close(); // the CLI opens the DuckDB file from here on
}, 240_000);
afterAll(async () => {
  await f?.dispose();
});

describe('weft privacy run killed mid-request', () => {
  it('loses no step, retries the 5xx destination until done, and completes the others', async () => {
    const planned = await steps();
    const destinations = Object.keys(planned).filter((s) => s.startsWith('sync:'));
    expect(destinations).toEqual(
      expect.arrayContaining(['sync:hubspot_contacts', 'sync:salesforce_contacts']),
    );
    const env = { WEFT_WAREHOUSE_URL: '', ...sandboxEnv(f.sandbox) };

    // Hold the first request HubSpot and Salesforce get (longer than the test waits), then kill.
    for (const name of ['hubspot', 'salesforce'])
      f.sandbox.emulators[name]?.injectFaults({ fail: [{ kind: 'slow', delayMs: 15_000 }] });
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/src/cli/main.js'), 'privacy', 'run'], {
      cwd: f.dir,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor('both held requests in flight', async () => {
      const inFlight = ['hubspot', 'salesforce'].every(
        (name) => (f.sandbox.emulators[name]?.snapshot().stats.faultsApplied ?? 0) >= 1,
      );
      return inFlight ? true : undefined;
    });
    child.kill('SIGKILL');
    await exited;

    const afterKill = await steps();
    expect(Object.keys(afterKill).sort()).toEqual(Object.keys(planned).sort());
    expect(afterKill['sync:salesforce_contacts']?.status).toBe('pending');
    // Whichever HubSpot sync's call was held is not acknowledged (its answer never came).
    const hubspotSteps = destinations.filter((step) => afterKill[step]?.destination === 'hubspot');
    expect(hubspotSteps.some((step) => afterKill[step]?.status === 'pending')).toBe(true);

    // Restart with Salesforce failing (503) past one run's retries: the others complete.
    f.sandbox.emulators.salesforce?.injectFaults({
      clear: true,
      fail: [{ kind: 'status', status: 503, count: 8 }],
    });
    const second = await weftIn(f.dir, ['privacy', 'run'], env);
    expect(second.code, second.stderr).toBe(0);
    const afterSecond = await steps();
    expect(afterSecond['sync:salesforce_contacts']?.status).toBe('pending');
    for (const step of destinations.filter(
      (s) => !['sync:salesforce_contacts', 'sync:slack_vip'].includes(s),
    ))
      expect(afterSecond[step]?.status, step).toBe('acknowledged');
    expect(held('hubspot')).not.toContain(person.email);

    // And again: Salesforce's last 503s are retried, then it acknowledges.
    const third = await weftIn(f.dir, ['privacy', 'run'], env);
    expect(third.code, third.stderr).toBe(0);
    const final = await steps();
    expect(Object.keys(final).sort()).toEqual(Object.keys(planned).sort());
    for (const step of destinations.filter((s) => s !== 'sync:slack_vip'))
      expect(final[step]?.status, step).toBe('acknowledged');
    expect(final['sync:slack_vip']?.status).toBe('unsupported');
    expect(final['sync:salesforce_contacts']?.attempts).toBeGreaterThanOrEqual(2);
    expect(held('salesforce')).not.toContain(person.profile_id);
    expect(held('hubspot')).not.toContain(person.email);
    expect(f.sandbox.emulators.salesforce?.snapshot().stats.statuses['503']).toBe(8);

    // The interrupted build's kept map lost the person's rows, and only theirs.
    const w = await openWarehouse(f.project.config.warehouse, { projectDir: f.dir });
    try {
      const kept = await w.query('SELECT profile_id, id_value FROM weft_state.identity_state_prev_map');
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.some((r) => r.profile_id === person.profile_id || r.id_value === person.email)).toBe(false);
    } finally {
      await w.close();
    }
  }, 120_000);
});
