/**
 * A small project with triggers on disk (weft.yml pointing at the Slack and webhook emulators,
 * traits, one audience, the seed cases' triggers), the live profiles they read, and events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProject } from '../../../src/config/project.js';
import type { Project } from '../../../src/config/types.js';
import type { CollectedEvent } from '../../../src/events/types.js';
import type { ServedProfile } from '../../../src/realtime/types.js';

/** Writes files (relative path → content) into a new temp directory. */
export function writeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-triggers-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** The seed cases as trigger files. */
export const TRIGGER_FILES: Record<string, string> = {
  'models/triggers/vip_pricing.yml': `description: An account manager hears when a VIP views the pricing page
on:
  type: page
  where:
    - { field: context.page.path, op: starts_with, value: /pricing }
where:
  all:
    - { audience: vip }
    - { trait: account_manager, op: is_not_null }
send:
  connection: sales_slack
  template: ":eyes: {{profile.traits.first_name}} ({{profile.traits.email}}) is on {{event.context.page.path}}. {{profile.traits.account_manager}}, say hi?"
once_per: 24h
`,
  'models/triggers/meter_fault.yml': `description: Support hears about a smart-meter fault before the customer does
on:
  type: track
  event: meter_fault
  source: mqtt
  where:
    - { property: severity, op: in, value: [major, critical] }
send:
  connection: support_queue
  template: "Meter {{event.context.device.id}} reports {{event.properties.code}}"
  fields:
    customer_email: "{{profile.traits.email}}"
    lifetime_value: "{{profile.traits.lifetime_value}}"
  include: [event, profile]
`,
};

/** weft.yml + models with connections to the given emulator settings. */
export function projectFiles(
  urls: { slack: string; webhook: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'weft.yml': `name: triggers_test
warehouse: { type: duckdb, path: ":memory:" }
connections:
  sales_slack: { type: slack, webhook_url: "${urls.slack}" }
  support_queue: { type: webhook, url: "${urls.webhook}", secret: weft-sandbox-secret }
`,
    'models/sources.yml': 'sources:\n  crm:\n    schema: raw\n    tables: [contacts]\n',
    'models/profiles.yml': `profiles:
  traits:
    email: { from: crm.contacts, column: email }
    first_name: { from: crm.contacts, column: first_name }
    account_manager: { from: crm.contacts, column: account_manager }
    lifetime_value: { from: crm.contacts, expr: "sum(ltv)" }
    timezone: { from: crm.contacts, column: timezone }
`,
    'models/audiences/vip.yml': 'name: vip\nwhere: { trait: lifetime_value, op: gte, value: 10000 }\n',
    ...TRIGGER_FILES,
    ...extra,
  };
}

/** Loads the project in `dir`, failing with every issue. */
export async function load(dir: string): Promise<Project> {
  const { project, issues } = await loadProject(dir, { env: {} });
  if (!project) throw new Error(issues.map((i) => `${i.file}:${i.line} ${i.path}: ${i.message}`).join('\n'));
  return project;
}

/** Ada: a VIP with an account manager; Bob: known, not a VIP; the meter customer. */
export const PROFILES: ServedProfile[] = [
  {
    profileId: 'p-ada',
    identifiers: [
      { type: 'user_id', value: 'u-ada' },
      { type: 'email', value: 'ada@example.org' },
      { type: 'anonymous_id', value: 'anon-ada' },
    ],
    traits: { email: 'ada@example.org', first_name: 'Ada', account_manager: 'Grace', lifetime_value: 25000 },
    audiences: ['vip'],
  },
  {
    profileId: 'p-bob',
    identifiers: [{ type: 'user_id', value: 'u-bob' }],
    traits: { email: 'bob@example.org', first_name: 'Bob', lifetime_value: 40 },
    audiences: [],
  },
  {
    profileId: 'p-cy',
    identifiers: [
      { type: 'device_id', value: 'M-77' },
      { type: 'email', value: 'cy@example.org' },
    ],
    traits: { email: 'cy@example.org', first_name: 'Cy', lifetime_value: 900 },
    audiences: [],
  },
];

const RECEIVED = '2026-03-02T10:00:00.000Z';

/** A page view of `path`. */
export function pageView(messageId: string, who: Partial<CollectedEvent>, pagePath: string): CollectedEvent {
  return {
    messageId,
    type: 'page',
    source: 'web',
    name: 'Pricing',
    properties: { path: pagePath },
    context: { page: { path: pagePath } },
    timestamp: RECEIVED,
    receivedAt: RECEIVED,
    ...who,
  };
}

/** A meter fault as MQTT ingestion logs it. */
export function meterFault(messageId: string, device: string, severity: string): CollectedEvent {
  return {
    messageId,
    type: 'track',
    source: 'mqtt',
    event: 'meter_fault',
    anonymousId: `device:${device}`,
    properties: { code: 'E42', severity },
    context: { device: { id: device }, mqtt: { topic: `meters/${device}/fault` } },
    timestamp: RECEIVED,
    receivedAt: RECEIVED,
  };
}
