/**
 * The engine end to end on DuckDB with the Slack and webhook emulators: the seed cases delivered
 * (a 5xx retried), every firing in trigger_runs, replays and restarts firing nothing twice, caps,
 * quiet hours, and a pending firing resumed by the next start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type SlackEmulatorState, slackEmulator } from '../../../destinations/slack/emulator.js';
import { type WebhookEmulatorState, webhookEmulator } from '../../../destinations/webhook/emulator.js';
import { triggerFileSchema } from '../../../src/config/schemas/trigger.js';
import type { Project } from '../../../src/config/types.js';
import { type DestinationRecord, defineDestination } from '../../../src/destination-kit/index.js';
import {
  startTriggers,
  type TriggerEngine,
  type TriggerEngineOptions,
} from '../../../src/realtime/triggers/index.js';
import { type RunningEmulator, startEmulator } from '../../../src/sandbox/index.js';
import { toDate } from '../../../src/warehouse/js-values.js';
import { openWarehouse } from '../../../src/warehouse/registry.js';
import type { Warehouse } from '../../../src/warehouse/types.js';
import { load, meterFault, PROFILES, pageView, projectFiles, writeProject } from './fixture.js';
import { MemoryProfileReader } from './memory-reader.js';

const NIGHT = {
  'models/triggers/night_skip.yml': `on: { event: night_ping }
send: { connection: support_queue, template: "skip {{event.messageId}}" }
quiet_hours: { start: "22:00", end: "07:00", timezone: Europe/Paris }
`,
  'models/triggers/night_delay.yml': `on: { event: night_ping }
send: { connection: support_queue, template: "delay {{event.messageId}}" }
quiet_hours: { start: "22:00", end: "07:00", timezone: UTC, timezone_trait: timezone, action: delay }
`,
};

let slack: RunningEmulator<SlackEmulatorState>;
let webhook: RunningEmulator<WebhookEmulatorState>;
let warehouse: Warehouse;
let project: Project;
let clock = new Date('2026-03-02T10:00:00Z');
const reader = new MemoryProfileReader(PROFILES);

beforeAll(async () => {
  slack = await startEmulator<unknown, SlackEmulatorState>(slackEmulator, { options: { rateLimit: null } });
  webhook = await startEmulator<unknown, WebhookEmulatorState>(webhookEmulator);
  const dir = writeProject(
    projectFiles(
      { slack: slack.settings.webhook_url as string, webhook: webhook.settings.url as string },
      NIGHT,
    ),
  );
  project = await load(dir);
  warehouse = await openWarehouse({ type: 'duckdb', path: ':memory:' }, { projectDir: dir });
});

afterAll(async () => {
  await warehouse?.close();
  await slack?.close();
  await webhook?.close();
});

function start(options: Partial<TriggerEngineOptions> = {}): Promise<TriggerEngine> {
  return startTriggers(project, reader, {
    warehouse,
    now: () => clock,
    retry: { maxAttempts: 4, baseMs: 5, maxMs: 20 },
    flushMs: 10,
    ...options,
  });
}

async function runs(where = 'TRUE'): Promise<Array<Record<string, unknown>>> {
  const rows = await warehouse.query(
    `SELECT trigger_name, message_id, status, person_key, attempts, reason, next_attempt_at FROM weft_state.trigger_runs WHERE ${where} ORDER BY fired_at, trigger_name, message_id`,
  );
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts) }));
}

const seedEvents = [
  pageView('e-ada', { userId: 'u-ada' }, '/pricing/teams'),
  pageView('e-bob', { userId: 'u-bob' }, '/pricing'),
  meterFault('e-meter', 'M-77', 'major'),
  meterFault('e-meter-minor', 'M-77', 'minor'),
];

describe('the trigger engine', () => {
  it('delivers the seed cases (Slack names the account manager, the webhook carries the profile), retrying a 5xx', async () => {
    webhook.injectFaults({ fail: [{ kind: 'status', status: 503, count: 1 }] });
    const engine = await start();
    await engine.offer(seedEvents);
    // offer resolved: the firings are recorded before any delivery outcome.
    expect((await runs()).map((r) => r.message_id)).toEqual(['e-meter', 'e-ada']);
    await engine.idle();
    await engine.close();

    const messages = slack.snapshot().state.messages;
    expect(messages.map((m) => m.text)).toEqual([
      ':eyes: Ada (ada@example.org) is on /pricing/teams. Grace, say hi?',
    ]);
    const held = webhook.snapshot().state.records['trigger:meter_fault'] ?? {};
    const [row] = Object.values(held);
    expect(Object.keys(held)).toHaveLength(1);
    expect(row).toMatchObject({
      text: 'Meter M-77 reports E42',
      customer_email: 'cy@example.org',
      lifetime_value: 900,
      profile: { id: 'p-cy', traits: { first_name: 'Cy' } },
      event: { messageId: 'e-meter', source: 'mqtt' },
    });
    expect(webhook.snapshot().stats.statuses).toMatchObject({ '503': 1, '200': 1 });
    expect(await runs()).toEqual([
      expect.objectContaining({
        message_id: 'e-meter',
        status: 'delivered',
        attempts: 2,
        person_key: 'profile:p-cy',
      }),
      expect.objectContaining({
        message_id: 'e-ada',
        status: 'delivered',
        attempts: 1,
        person_key: 'profile:p-ada',
      }),
    ]);
  });

  it('fires nothing twice when the same events come again, in the same process or after a restart; caps the person', async () => {
    const received = webhook.snapshot().state.rowsReceived;
    const engine = await start();
    await engine.offer(seedEvents);
    await engine.offer(seedEvents);
    await engine.idle();
    expect(await runs()).toHaveLength(2);
    expect(webhook.snapshot().state.rowsReceived).toBe(received);
    clock = new Date('2026-03-02T12:00:00Z');
    // Another page view by Ada within 24 h: capped, recorded, not sent.
    await engine.offer([pageView('e-ada-2', { anonymousId: 'anon-ada' }, '/pricing')]);
    await engine.idle();
    await engine.close();
    expect(slack.snapshot().state.messages).toHaveLength(1);
    expect(Object.keys(webhook.snapshot().state.records['trigger:meter_fault'] ?? {})).toHaveLength(1);
    expect(await runs("message_id = 'e-ada-2'")).toEqual([
      expect.objectContaining({ status: 'capped', attempts: 0, person_key: 'profile:p-ada' }),
    ]);
    // A day later the cap has passed, also for a fresh process that reads it from trigger_runs.
    clock = new Date('2026-03-03T10:00:01Z');
    const next = await start();
    await next.offer([pageView('e-ada-3', { userId: 'u-ada' }, '/pricing')]);
    await next.idle();
    await next.close();
    expect(slack.snapshot().state.messages).toHaveLength(2);
    expect((await runs("message_id = 'e-ada-3'"))[0]).toMatchObject({ status: 'delivered' });
  });

  it('applies quiet hours in the trigger zone or the person own zone: skipped or delayed to the end', async () => {
    clock = new Date('2026-03-02T22:30:00Z'); // 23:30 in Paris, 22:30 UTC
    reader.put({ ...PROFILES[1]!, traits: { ...PROFILES[1]!.traits, timezone: 'America/New_York' } });
    const engine = await start();
    await engine.offer([
      { ...pageView('n-1', { userId: 'u-ada' }, '/'), type: 'track', event: 'night_ping' },
      { ...pageView('n-2', { userId: 'u-bob' }, '/'), type: 'track', event: 'night_ping' },
    ]);
    await engine.idle();
    await engine.close();
    const night = await runs("message_id LIKE 'n-%'");
    expect(night.map((r) => [r.trigger_name, r.message_id, r.status])).toEqual([
      ['night_delay', 'n-1', 'pending'],
      ['night_delay', 'n-2', 'delivered'], // 17:30 in New York: not quiet for Bob
      ['night_skip', 'n-1', 'quiet'],
      ['night_skip', 'n-2', 'quiet'],
    ]);
    expect(toDate(night[0]!.next_attempt_at).toISOString()).toBe('2026-03-03T07:00:00.000Z');
  });

  it('resumes a firing left pending (the process stopped while retrying) and delivers it once', async () => {
    clock = new Date('2026-03-04T10:00:00Z');
    webhook.injectFaults({ clear: true, fail: [{ kind: 'status', status: 500, count: 1000 }] });
    const stubborn = await start({ retry: { maxAttempts: 1000, baseMs: 5, maxMs: 5 } });
    await stubborn.offer([meterFault('e-resume', 'M-77', 'critical')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await stubborn.close();
    expect(await runs("message_id = 'e-resume'")).toEqual([expect.objectContaining({ status: 'pending' })]);

    webhook.injectFaults({ clear: true });
    const before = Object.keys(webhook.snapshot().state.records['trigger:meter_fault'] ?? {}).length;
    const resumed = await start();
    await resumed.offer([meterFault('e-resume', 'M-77', 'critical')]); // the replay of the unacked event
    await resumed.idle();
    await resumed.close();
    expect(Object.keys(webhook.snapshot().state.records['trigger:meter_fault'] ?? {}).length).toBe(
      before + 1,
    );
    expect(await runs("message_id = 'e-resume'")).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });

  it('records a rejected message as failed with the destination reason, without retrying', async () => {
    webhook.injectFaults({
      clear: true,
      reject: [{ field: 'customer_email', equals: 'cy@example.org', reason: 'queue full' }],
    });
    const engine = await start();
    await engine.offer([meterFault('e-reject', 'M-77', 'critical')]);
    await engine.idle();
    await engine.close();
    webhook.injectFaults({ clear: true });
    expect(await runs("message_id = 'e-reject'")).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1, reason: 'queue full' }),
    ]);
  });

  it("sends through a connector's upsert primitive with the rendered key, object and typed fields", async () => {
    const calls: Array<{ object?: string; matchOn?: string; records: DestinationRecord[] }> = [];
    const crm = defineDestination({
      type: 'fake_crm',
      description: 'a CRM with upsert only',
      settings: z.object({}),
      capabilities: { modes: ['upsert'], batch: { maxRecords: 10 }, concurrency: 1 },
      async upsert(ctx, records) {
        calls.push({ object: ctx.object, matchOn: ctx.matchOn, records });
        return records.map(() => ({ status: 'ok' as const }));
      },
    });
    const trigger = triggerFileSchema.parse({
      on: { event: 'Plan Upgraded' },
      send: {
        connection: 'crm',
        object: 'contacts',
        match_on: 'email',
        key: '{{profile.traits.email}}',
        fields: { last_upgrade_plan: '{{event.properties.plan}}', ltv: '{{profile.traits.lifetime_value}}' },
      },
    });
    const withCrm: Project = {
      ...project,
      config: {
        ...project.config,
        connections: { ...project.config.connections, crm: { type: 'fake_crm' } },
      },
      triggers: [{ path: 'models/triggers/upgrade.yml', value: { ...trigger, name: 'upgrade' } }],
    };
    const engine = await startTriggers(withCrm, reader, {
      warehouse,
      now: () => clock,
      flushMs: 10,
      destinationFor: (type) => (type === 'fake_crm' ? crm : undefined),
    });
    await engine.offer([
      {
        ...pageView('up-1', { userId: 'u-ada' }, '/'),
        type: 'track',
        event: 'Plan Upgraded',
        properties: { plan: 'pro' },
      },
    ]);
    await engine.idle();
    await engine.close();
    expect(calls).toEqual([
      {
        object: 'contacts',
        matchOn: 'email',
        records: [{ key: 'ada@example.org', op: 'added', fields: { last_upgrade_plan: 'pro', ltv: 25000 } }],
      },
    ]);
    expect(await runs("message_id = 'up-1'")).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });

  it('rejects an offer whose trigger_runs write fails, and counts none of it: offered again, it fires', async () => {
    clock = new Date('2026-03-05T10:00:00Z');
    let failWrites = true;
    const flaky: Warehouse = {
      ...warehouse,
      dialect: warehouse.dialect,
      execute: (sql) =>
        failWrites && sql.startsWith('INSERT')
          ? Promise.reject(new Error('disk full'))
          : warehouse.execute(sql),
      query: (sql) => warehouse.query(sql),
    };
    const before = slack.snapshot().state.messages.length;
    const engine = await start({ warehouse: flaky });
    const view = pageView('e-flaky', { userId: 'u-ada' }, '/pricing');
    await expect(engine.offer([view])).rejects.toThrow('disk full');
    failWrites = false;
    await engine.offer([view]);
    await engine.idle();
    await engine.close();
    expect(slack.snapshot().state.messages.length).toBe(before + 1);
    expect(await runs("message_id = 'e-flaky'")).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });
});
