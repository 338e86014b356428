/**
 * A seeded copy of the demo project whose connections point at a running sandbox, with extra
 * syncs so that one VIP reaches every emulator (Mailchimp, Klaviyo, Braze and a Slack sync that
 * cannot delete included). Built and synced once; the privacy tests then erase people from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildProject } from '../../src/build/index.js';
import { loadProjectOrThrow } from '../../src/config/project.js';
import type { Project } from '../../src/config/types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start.js';
import { seedDemoData } from '../../src/seed/index.js';
import { runSync } from '../../src/sync/run-sync.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { copyDemoProject } from '../cli/run-weft.js';

/** Syncs added to the demo so every emulator gets the VIPs. */
const EXTRA_SYNCS: Record<string, string> = {
  mailchimp_vip: `name: mailchimp_vip
from: audience.high_value_recent
connection: sandbox_mailchimp
mode: upsert
key: email
mappings: { email: email }
`,
  klaviyo_vip: `name: klaviyo_vip
from: audience.high_value_recent
connection: sandbox_klaviyo
mode: upsert
key: email
mappings: { email: email }
`,
  braze_vip: `name: braze_vip
from: audience.high_value_recent
connection: sandbox_braze
mode: upsert
key: profile_id
mappings: { external_id: profile_id, email: email }
`,
  slack_vip: `name: slack_vip
from: audience.high_value_recent
connection: sandbox_slack
mode: insert
key: profile_id
mappings: { text: "{{first_name}} joined the VIPs" }
`,
};

/** A built, synced demo project on a sandbox. */
export interface PrivacyFixture {
  dir: string;
  project: Project;
  warehouse: Warehouse;
  sandbox: Sandbox;
  /** Reloads the project (after the test edits a file) and reopens nothing else. */
  reload(): Promise<Project>;
  dispose(): Promise<void>;
}

/** Environment variables pointing the demo's connections at `sandbox`. */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  const u = sandbox.urls;
  return {
    WEFT_WEBHOOK_URL: `${u.webhook}/hooks/weft`,
    WEFT_ALERT_URL: `${u.webhook}/hooks/alerts`,
    WEFT_SANDBOX_HUBSPOT_URL: u.hubspot ?? '',
    WEFT_SANDBOX_SALESFORCE_URL: u.salesforce ?? '',
    WEFT_SANDBOX_GOOGLE_ADS_URL: u.google_ads ?? '',
    WEFT_SANDBOX_META_URL: u.meta ?? '',
    WEFT_SANDBOX_MAILCHIMP_URL: u.mailchimp ?? '',
    WEFT_SANDBOX_BRAZE_URL: u.braze ?? '',
    WEFT_SANDBOX_KLAVIYO_URL: u.klaviyo ?? '',
    WEFT_SLACK_WEBHOOK_URL: `${u.slack}/services/T0SANDBOX/B0SANDBOX/weftSandboxToken0001`,
  };
}

/** Seeds `people`, builds, and runs every sync of the demo plus EXTRA_SYNCS. */
export async function privacyFixture(people = 150): Promise<PrivacyFixture> {
  const sandbox = await startSandbox();
  Object.assign(process.env, sandboxEnv(sandbox));
  const dir = copyDemoProject('weft-privacy-');
  for (const [name, text] of Object.entries(EXTRA_SYNCS))
    fs.writeFileSync(path.join(dir, 'syncs', `${name}.yml`), text);
  let project = await loadProjectOrThrow(dir);
  const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
  await seedDemoData(warehouse, { people, seed: 11 });
  const built = await buildProject(project, warehouse, {});
  const failed = built.models.filter((m) => m.status !== 'success');
  if (failed.length > 0)
    throw new Error(`build failed: ${failed.map((m) => `${m.name}: ${m.error}`).join('; ')}`);
  for (const { value: config } of project.syncs) {
    const outcome = await runSync(project, warehouse, config);
    if (outcome.summary.status === 'failed')
      throw new Error(`sync ${config.name} failed: ${JSON.stringify(outcome.summary)}`);
  }
  return {
    dir,
    get project() {
      return project;
    },
    warehouse,
    sandbox,
    async reload() {
      project = await loadProjectOrThrow(dir);
      return project;
    },
    async dispose() {
      await warehouse.close();
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
