/** Matching without I/O: `on:`, the live-profile condition tree, unknown people, quiet hours, caps. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Condition } from '../../../src/config/schemas/audience.js';
import { triggerFileSchema } from '../../../src/config/schemas/trigger.js';
import type { TriggerConfig } from '../../../src/config/types.js';
import {
  decide,
  evaluateCondition,
  findPerson,
  matchEvents,
  matchesOn,
  profileFacts,
  quietUntil,
} from '../../../src/realtime/triggers/index.js';
import { meterFault, PROFILES, pageView, TRIGGER_FILES } from './fixture.js';
import { MemoryProfileReader } from './memory-reader.js';

const NOW = new Date('2026-03-02T10:00:00Z');

function trigger(name: string, yaml: string): TriggerConfig {
  return { ...triggerFileSchema.parse(parse(yaml)), name };
}

const vip = trigger('vip_pricing', TRIGGER_FILES['models/triggers/vip_pricing.yml'] as string);
const meter = trigger('meter_fault', TRIGGER_FILES['models/triggers/meter_fault.yml'] as string);
const options = () => ({
  reader: new MemoryProfileReader(PROFILES),
  idTypes: {
    userId: 'user_id',
    anonymousId: 'anonymous_id',
    email: 'email',
    phone: 'phone',
    deviceId: 'device_id',
  },
});

describe('on:', () => {
  it('matches type, event, source and property conditions, and nothing else', () => {
    expect(matchesOn(meter.on, meterFault('m1', 'M-77', 'major'), NOW)).toBe(true);
    expect(matchesOn(meter.on, meterFault('m2', 'M-77', 'minor'), NOW)).toBe(false);
    expect(matchesOn(meter.on, { ...meterFault('m3', 'M-77', 'major'), source: 'web' }, NOW)).toBe(false);
    expect(matchesOn(meter.on, { ...meterFault('m4', 'M-77', 'major'), event: 'meter_ok' }, NOW)).toBe(false);
    expect(matchesOn(vip.on, pageView('p1', {}, '/pricing/teams'), NOW)).toBe(true);
    expect(matchesOn(vip.on, pageView('p2', {}, '/docs'), NOW)).toBe(false);
    expect(matchesOn(vip.on, { ...pageView('p3', {}, '/pricing'), type: 'track' }, NOW)).toBe(false);
  });
});

describe('where: over the live profile', () => {
  const ada = profileFacts(PROFILES[0]);
  const nobody = profileFacts(undefined);
  const cases: Array<[Condition, boolean, boolean]> = [
    [{ audience: 'vip' }, true, false],
    [{ not: { audience: 'vip' } }, false, true],
    [{ trait: 'lifetime_value', op: 'gte', value: 10000 }, true, false],
    [{ trait: 'lifetime_value', op: 'between', value: [100, 30000] }, true, false],
    [{ trait: 'account_manager', op: 'is_null' }, false, true],
    [{ trait: 'email', op: 'ends_with', value: '@example.org' }, true, false],
    [{ trait: 'first_name', op: 'in', value: ['Ada', 'Bob'] }, true, false],
    [{ trait: 'first_name', op: 'not_in', value: ['Bob'] }, true, false],
    [{ any: [{ audience: 'vip' }, { trait: 'first_name', op: 'eq', value: 'Zed' }] }, true, false],
    [{ all: [{ audience: 'vip' }, { trait: 'first_name', op: 'eq', value: 'Zed' }] }, false, false],
  ];
  it.each(cases)('%j: known %s, unknown person %s', (condition, known, unknown) => {
    expect(evaluateCondition(condition, ada, NOW)).toBe(known);
    expect(evaluateCondition(condition, nobody, NOW)).toBe(unknown);
  });

  it('compares dates relative to the injected now', () => {
    const facts = profileFacts({ ...PROFILES[0]!, traits: { last_seen_at: '2026-02-25T00:00:00Z' } });
    expect(evaluateCondition({ trait: 'last_seen_at', op: 'within_days', value: 7 }, facts, NOW)).toBe(true);
    expect(evaluateCondition({ trait: 'last_seen_at', op: 'within_days', value: 3 }, facts, NOW)).toBe(false);
    expect(evaluateCondition({ trait: 'last_seen_at', op: 'older_than_days', value: 3 }, facts, NOW)).toBe(
      true,
    );
  });
});

describe('finding the person', () => {
  it('looks an event up by userId, anonymousId, traits.email, then context.device.id', async () => {
    const reader = new MemoryProfileReader(PROFILES);
    const ids = options().idTypes;
    expect((await findPerson(reader, pageView('a', { anonymousId: 'anon-ada' }, '/'), ids)).personKey).toBe(
      'profile:p-ada',
    );
    expect(
      (
        await findPerson(
          reader,
          pageView('b', { anonymousId: 'new', traits: { email: ' ADA@example.org' } }, '/'),
          ids,
        )
      ).personKey,
    ).toBe('profile:p-ada');
    expect((await findPerson(reader, meterFault('c', 'M-77', 'major'), ids)).personKey).toBe('profile:p-cy');
    const stranger = await findPerson(reader, pageView('d', { anonymousId: 'anon-x' }, '/'), ids);
    expect(stranger).toEqual({ personKey: 'anonymous_id:anon-x' });
  });

  it('an unknown visitor matches only conditions that hold for an empty profile', async () => {
    const outsider = trigger(
      'outsider',
      `on: { type: page }
where: { not: { audience: vip } }
send: { connection: c, template: hi }
`,
    );
    const events = [
      pageView('e1', { anonymousId: 'anon-x' }, '/pricing'),
      pageView('e2', { userId: 'u-ada' }, '/pricing'),
    ];
    const matched = await matchEvents([vip, outsider], events, options(), NOW);
    expect(matched.map((c) => `${c.trigger.name}:${c.event.messageId}`)).toEqual([
      'outsider:e1',
      'vip_pricing:e2',
    ]);
  });
});

describe('quiet hours', () => {
  const quiet = { start: '22:00', end: '07:30', timezone: 'Europe/Paris', action: 'skip' as const };
  it('is inside across midnight in the zone, and ends at the local end time', () => {
    // 21:30 UTC = 22:30 in Paris (CET, UTC+1): quiet until 07:30 Paris = 06:30 UTC.
    expect(quietUntil(quiet, 'Europe/Paris', new Date('2026-03-02T21:30:00Z'))?.toISOString()).toBe(
      '2026-03-03T06:30:00.000Z',
    );
    expect(quietUntil(quiet, 'Europe/Paris', new Date('2026-03-02T06:29:00Z'))?.toISOString()).toBe(
      '2026-03-02T06:30:00.000Z',
    );
    expect(quietUntil(quiet, 'Europe/Paris', new Date('2026-03-02T06:30:00Z'))).toBeUndefined();
    expect(quietUntil(quiet, 'Europe/Paris', new Date('2026-03-02T12:00:00Z'))).toBeUndefined();
    // The same instant is daytime in New York.
    expect(quietUntil(quiet, 'America/New_York', new Date('2026-03-02T21:30:00Z'))).toBeUndefined();
  });
});

describe('decide', () => {
  it('caps per person, skips recorded firings, and fails a firing whose template throws', async () => {
    const capped = trigger(
      'capped',
      `on: { type: page }
send: { connection: c, template: "{{round event.properties.path 2}}" }
once_per: 1h
`,
    );
    const events = [
      pageView('x1', { userId: 'u-ada' }, '12'),
      pageView('x2', { userId: 'u-ada' }, '13'),
      pageView('x3', { userId: 'u-bob' }, 'not-a-number'),
      pageView('x4', { userId: 'u-bob' }, '14'),
    ];
    const candidates = await matchEvents([capped], events, options(), NOW);
    const lastFired = new Map<string, Date>();
    const recorded = new Set([candidates[3]!.firingId]);
    const decisions = decide(candidates, { recorded, lastFired, slack: () => false }, NOW);
    expect(decisions.map((d) => [d.row.message_id, d.row.status])).toEqual([
      ['x1', 'pending'],
      ['x2', 'capped'],
      ['x3', 'failed'],
    ]);
    expect(decisions[2]!.row.reason).toMatch(/the template failed: round: 'not-a-number' is not a number/);
    expect(JSON.parse(decisions[0]!.row.payload!)).toEqual({
      key: candidates[0]!.firingId,
      fields: { text: '12' },
    });
    // An hour later the person may fire again.
    const later = decide(
      candidates.slice(1, 2),
      { recorded: new Set(), lastFired, slack: () => false },
      new Date(NOW.getTime() + 3_600_000),
    );
    expect(later[0]!.row.status).toBe('pending');
  });

  it("escapes event and profile values for Slack's markup, not the template's own text", async () => {
    const hello = trigger(
      'hello',
      `on: { type: page }
send: { connection: c, template: "<https://crm.example/p|open> {{event.properties.path}}" }
`,
    );
    const [candidate] = await matchEvents([hello], [pageView('s1', {}, '<!channel> & co')], options(), NOW);
    const slack = decide([candidate!], { recorded: new Set(), lastFired: new Map(), slack: () => true }, NOW);
    const plain = decide(
      [candidate!],
      { recorded: new Set(), lastFired: new Map(), slack: () => false },
      NOW,
    );
    expect(slack[0]!.message!.fields.text).toBe('<https://crm.example/p|open> &lt;!channel&gt; &amp; co');
    expect(plain[0]!.message!.fields.text).toBe('<https://crm.example/p|open> <!channel> & co');
  });
});
