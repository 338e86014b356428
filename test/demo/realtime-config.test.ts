/**
 * The configuration behind `npm run demo`'s three real-time cases, through the real pieces but
 * without running the demo (scripts/demo-realtime.mjs): the demo project validates; `weft trigger
 * test` on vip_pricing with sample events; an MQTT message mapped by the demo's own
 * `events.mqtt` reaches meter_fault and finds the customer by the meter's device id; the
 * personalization endpoint configured by the demo's `serve:` answers "enterprise" only for an
 * enterprise visitor and leaks no non-public trait; the seed gives VIPs an account manager and
 * meters to shop accounts. A broken demo config fails here, in CI.
 */
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectOrThrow } from '../../src/config/index.js';
import type { Project, TriggerConfig } from '../../src/config/types.js';
import { mapMessage } from '../../src/events/mqtt/map-message.js';
import type { CollectedEvent } from '../../src/events/types.js';
import { dryRunTrigger } from '../../src/realtime/triggers/dry-run.js';
import type { ServedProfile } from '../../src/realtime/types.js';
import { createSeedContext, makePerson } from '../../src/seed/index.js';
import { devices } from '../../src/seed/sources/devices.js';
import { KEY_ACCOUNT_MIN_SPEND, shopCustomers, shopOrders } from '../../src/seed/sources/shop.js';
import { profileApiRoutes } from '../../src/serve/profile-api.js';
import { jsonLines, repoRoot, runWeft } from '../cli/run-weft.js';
import { MemoryProfileReader } from '../realtime/triggers/memory-reader.js';

const fixtures = path.join(repoRoot, 'test/fixtures/demo');
const AT = new Date('2026-03-02T10:00:00Z');
const PII = ['email', 'phone', 'first_name', 'last_name', 'lifetime_value', 'account_manager'];

let project: Project;
const trigger = (name: string): TriggerConfig => {
  const found = project.triggers?.find((t) => t.value.name === name)?.value;
  if (!found) throw new Error(`the demo has no trigger ${name}`);
  return found;
};

beforeAll(async () => {
  // The committed defaults only: no variable of the machine running the tests.
  project = await loadProjectOrThrow(repoRoot, { env: {} });
});

describe('the demo project (weft.yml, models/triggers, serve, events.mqtt)', () => {
  it('validates, with its two triggers, an MQTT mapping and a public list without PII', () => {
    expect(project.triggers?.map((t) => t.value.name).sort()).toEqual(['meter_fault', 'vip_pricing']);
    const traits = Object.keys(project.profiles?.traits ?? {});
    expect(traits).toEqual(expect.arrayContaining(['account_manager', 'plan', 'smart_meters']));
    const serve = project.config.serve;
    expect(serve?.public.traits.every((t) => traits.includes(t))).toBe(true);
    const audiences = project.audiences.map((a) => a.value.name);
    expect(serve?.public.audiences.every((a) => audiences.includes(a))).toBe(true);
    expect(serve?.public.audiences).toContain('enterprise_accounts');
    for (const name of PII) expect(serve?.public.traits, name).not.toContain(name);
    expect(project.config.events?.mqtt?.topics[0]?.topic).toBe('meters/+/fault');
    expect(Object.keys(project.identity?.id_types ?? {})).toContain('device_id');
  });
});

describe('case 1: a VIP on the pricing page → Slack naming the account manager', () => {
  it('`weft trigger test vip_pricing` fires for the VIP, naming the account manager', async () => {
    const run = await runWeft([
      'trigger',
      'test',
      'vip_pricing',
      '--event',
      path.join(fixtures, 'vip-pricing-view.json'),
      '--profile-file',
      path.join(fixtures, 'vip-profile.json'),
      '--at',
      AT.toISOString(),
      '--json',
      '--project',
      repoRoot,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const fired = jsonLines(run.stdout)[0] as {
      would_fire: boolean;
      connection: { type: string };
      message: { fields: Record<string, unknown> };
    };
    expect(fired.would_fire).toBe(true);
    expect(fired.connection.type).toBe('slack');
    expect(fired.message.fields.text).toBe(
      ':eyes: VIP Amy Johnson (amy_johnson20917@gmail.com, $2007 spent) is on /pricing. Grace Hopper, say hi?',
    );
  });

  it('the same view by a customer who is not a VIP sends nothing', async () => {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8'));
    const event = {
      messageId: 'v-1',
      timestamp: AT.toISOString(),
      receivedAt: AT.toISOString(),
      ...read('vip-pricing-view.json'),
    };
    const options = { reader: new MemoryProfileReader(), now: AT };
    const regular = await dryRunTrigger(project, trigger('vip_pricing'), event, {
      ...options,
      profile: read('regular-profile.json'),
    });
    expect(regular.wouldFire).toBe(false);
    const vip = await dryRunTrigger(project, trigger('vip_pricing'), event, {
      ...options,
      profile: read('vip-profile.json'),
    });
    expect(vip.wouldFire).toBe(true);
  });
});

describe('case 3: a smart-meter fault over MQTT → the support queue with the profile', () => {
  const customer: ServedProfile = {
    profileId: 'p-benjamin',
    identifiers: [
      { type: 'device_id', value: 'SM-2A0DFBF95535' },
      { type: 'email', value: 'benjamin@example.org' },
    ],
    traits: {
      first_name: 'Benjamin',
      phone: '+16028667343',
      email: 'benjamin@example.org',
      lifetime_value: 16.39,
    },
    audiences: [],
  };
  const fault = (severity: string): CollectedEvent => {
    const mapping = project.config.events?.mqtt?.topics[0];
    if (!mapping) throw new Error('the demo has no MQTT mapping');
    const mapped = mapMessage(mapping, {
      topic: 'meters/SM-2A0DFBF95535/fault',
      payload: Buffer.from(JSON.stringify({ code: 'E42', severity, ts: '2026-03-02T09:59:58Z' })),
      packetId: 7,
      receivedAt: AT,
    });
    if (!('event' in mapped)) throw new Error(`the demo mapping refused the message: ${mapped.rejected}`);
    return mapped.event;
  };

  it("the demo's MQTT mapping gives an event meter_fault fires on, finding the customer by device id", async () => {
    const reader = new MemoryProfileReader([customer]);
    const run = await dryRunTrigger(project, trigger('meter_fault'), fault('critical'), { reader, now: AT });
    expect(run.wouldFire).toBe(true);
    expect(run.person?.profileId).toBe('p-benjamin');
    expect(run.connection).toMatchObject({ name: 'support_queue', type: 'webhook' });
    expect(run.message?.fields).toMatchObject({
      text: 'Meter SM-2A0DFBF95535 reports E42 (critical): call Benjamin at +16028667343',
      device_id: 'SM-2A0DFBF95535',
      customer_email: 'benjamin@example.org',
      lifetime_value: 16.39,
      profile: { id: 'p-benjamin' },
    });
  });

  it('a minor fault sends nothing, and the pricing trigger ignores meter events', async () => {
    const reader = new MemoryProfileReader([customer]);
    const minor = await dryRunTrigger(project, trigger('meter_fault'), fault('minor'), { reader, now: AT });
    expect(minor.wouldFire).toBe(false);
    const pricing = await dryRunTrigger(project, trigger('vip_pricing'), fault('critical'), {
      reader,
      now: AT,
    });
    expect(pricing.wouldFire).toBe(false);
  });
});

describe('case 2: the personalization endpoint with the demo serve config', () => {
  let server: Server;
  let base: string;
  const enterprise: ServedProfile = {
    profileId: 'p-ent',
    identifiers: [{ type: 'anonymous_id', value: 'a-ent' }],
    traits: { plan: 'enterprise', email: 'jo@globex.com', first_name: 'Jo', lifetime_value: 900 },
    audiences: ['enterprise_accounts', 'high_value_recent'],
  };
  const starter: ServedProfile = {
    profileId: 'p-start',
    identifiers: [{ type: 'anonymous_id', value: 'a-start' }],
    traits: { plan: 'starter', email: 'sam@example.org' },
    audiences: ['churn_risk'],
  };

  beforeAll(async () => {
    const routes = profileApiRoutes(project, new MemoryProfileReader([enterprise, starter]));
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://weft.local');
      const route = routes.find((r) => r.matches(url.pathname));
      if (route) void route.handle(request, response, url, url.pathname);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ask = async (anonymousId: string) => {
    const key = project.config.serve?.publishable_key ?? '';
    const response = await fetch(`${base}/v1/personalize?key=${encodeURIComponent(key)}`, {
      headers: { cookie: `ajs_anonymous_id=${encodeURIComponent(JSON.stringify(anonymousId))}` },
    });
    return { status: response.status, body: await response.json() };
  };

  it('answers "enterprise" for the enterprise visitor only, with public traits alone', async () => {
    expect(await ask('a-ent')).toEqual({
      status: 200,
      body: { known: true, traits: { plan: 'enterprise' }, audiences: ['enterprise_accounts'] },
    });
    expect(await ask('a-start')).toEqual({
      status: 200,
      body: { known: true, traits: { plan: 'starter' }, audiences: [] },
    });
  });

  it('the publishable key cannot read /v1/profiles', async () => {
    const key = project.config.serve?.publishable_key ?? '';
    const response = await fetch(`${base}/v1/profiles/p-ent`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(401);
  });
});

describe('the seed behind the cases', () => {
  const ctx = createSeedContext({ people: 400, seed: 42 });
  const people = Array.from({ length: ctx.people }, (_, i) => makePerson(ctx, i));

  it('gives an account manager to exactly the customers who spent the key-account minimum', () => {
    let managed = 0;
    for (const person of people) {
      const paid = shopOrders
        .rowsFor(ctx, person)
        .filter((o) => String(o.values[4]).toLowerCase() === 'paid')
        .reduce((sum, o) => sum + (o.values[2] as number), 0);
      const managerColumn = shopCustomers.columns.findIndex((c) => c.name === 'account_manager');
      for (const row of shopCustomers.rowsFor(ctx, person)) {
        const manager = row.values[managerColumn];
        expect(manager !== null, `person ${person.index}, paid ${paid}`).toBe(paid >= KEY_ACCOUNT_MIN_SPEND);
        if (manager !== null) managed++;
      }
    }
    expect(managed).toBeGreaterThan(0);
  });

  it("registers each smart meter to one of its owner's shop accounts, with a unique serial", () => {
    const serials = new Set<string>();
    for (const person of people) {
      const accounts = person.accounts.map((a) => a.customerId);
      for (const row of devices.rowsFor(ctx, person)) {
        expect(row.values[0]).toMatch(/^SM-[0-9A-F]{12}$/);
        expect(accounts).toContain(row.values[1]);
        serials.add(row.key);
      }
    }
    expect(serials.size).toBeGreaterThan(10);
    expect(serials.size).toBe(people.reduce((n, person) => n + devices.rowsFor(ctx, person).length, 0));
  });
});
