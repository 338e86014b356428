/**
 * Consent on syncs: a sync with `consent: [advertising]` sends only people whose profile grants
 * it, `weft plan` counts those held back, and withdrawing consent removes the person from a mirror
 * sync on the next run while a sync without `consent:` keeps them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEmulator } from '../../destinations/webhook/emulator.js';
import { formatIssue, loadProject } from '../../src/config/index.js';
import type { Project, SyncConfig } from '../../src/config/types.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import { SyncConfigError } from '../../src/sync/resolve.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, projectWith, syncConfig } from '../sync/helpers.js';

let hook: RunningEmulator;
let warehouse: Warehouse;
let dir: string;
let project: Project;
const ads = syncConfig({
  name: 'ads',
  from: 'app.people',
  mode: 'mirror',
  key: 'profile_id',
  mappings: { email: 'email' },
  consent: ['advertising'],
} as Partial<SyncConfig>);
const crm = syncConfig({ name: 'crm', from: 'app.people', key: 'email', mappings: { email: 'email' } });
const held = (sync: string) =>
  Object.keys(
    (hook.snapshot().state as { records: Record<string, Record<string, unknown>> }).records[sync] ?? {},
  ).sort();

beforeAll(async () => {
  hook = await startEmulator(webhookEmulator, {});
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-consent-'));
  warehouse = await memoryWarehouse();
  project = projectWith(dir, hook.settings, [ads, crm]);
  project.config.privacy = {
    regulation: 'gdpr',
    deadlines: { gdpr: 30, ccpa: 45 },
    warn_days: 7,
    consent: { advertising: 'ads_consent', marketing: 'email_consent' },
  };
  await warehouse.execute(`CREATE TABLE app.people AS SELECT * FROM (VALUES
    ('p1', 'p1@x.io'), ('p2', 'p2@x.io'), ('p3', 'p3@x.io'), ('p4', 'p4@x.io')) AS t(profile_id, email)`);
  // Booleans and words both grant; false, 'no' and NULL do not.
  await warehouse.execute(`CREATE TABLE app.profiles AS SELECT * FROM (VALUES
    ('p1', 'true', 'yes'), ('p2', 'Granted', 'no'), ('p3', 'false', 'yes'), ('p4', NULL, NULL)) AS t(profile_id, ads_consent, email_consent)`);
});
afterAll(async () => {
  await warehouse?.close();
  await hook?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('consent on syncs', () => {
  it('holds back people without the purpose, and removes them when they withdraw', async () => {
    const first = await runSync(project, warehouse, ads);
    expect(first.plan?.counts).toMatchObject({ added: 2, held_back_by_consent: 2 });
    await runSync(project, warehouse, crm);
    expect(held('ads')).toEqual(['p1', 'p2']);
    expect(held('crm')).toEqual(['p1@x.io', 'p2@x.io', 'p3@x.io', 'p4@x.io']);

    await warehouse.execute("UPDATE app.profiles SET ads_consent = 'no' WHERE profile_id = 'p2'");
    const second = await runSync(project, warehouse, ads);
    expect(second.plan?.counts).toMatchObject({ added: 0, removed: 1, held_back_by_consent: 3 });
    expect(second.summary.status).toBe('success');
    await runSync(project, warehouse, crm);
    expect(held('ads')).toEqual(['p1']);
    expect(held('crm')).toHaveLength(4);
  });

  it('refuses a purpose weft.yml does not declare, naming it', async () => {
    const bad = { ...ads, name: 'ads_bad', consent: ['analytics'] } as SyncConfig;
    project.syncs.push({ path: 'syncs/ads_bad.yml', value: bad });
    const outcome = await runSync(project, warehouse, bad).catch((error: unknown) => error);
    const message = outcome instanceof Error ? outcome.message : JSON.stringify(outcome);
    if (outcome instanceof Error) expect(outcome).toBeInstanceOf(SyncConfigError);
    expect(message).toContain("consent purpose 'analytics' is not declared in weft.yml privacy.consent");
  });

  it('weft validate names an undeclared purpose at the sync file line', async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-consent-validate-'));
    try {
      fs.mkdirSync(path.join(project, 'syncs'));
      fs.writeFileSync(
        path.join(project, 'weft.yml'),
        'name: c\nconnections:\n  hook: { type: webhook, url: "http://127.0.0.1:9/x" }\nprivacy:\n  consent: { advertising: ads_ok }\n',
      );
      fs.writeFileSync(
        path.join(project, 'syncs/s.yml'),
        'name: s\nfrom: profiles\nconnection: hook\nkey: profile_id\nconsent: [advertising, analytics]\n',
      );
      const { issues } = await loadProject(project, { env: {} });
      expect(issues.map(formatIssue)).toContain(
        "syncs/s.yml:5:24  consent[1]: unknown consent purpose 'analytics': weft.yml privacy.consent declares advertising",
      );
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
