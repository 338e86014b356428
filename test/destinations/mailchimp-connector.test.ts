/** Mailchimp connector details without the runner: host, auth, throttling words, the tag loop. */
import { afterEach, describe, expect, it } from 'vitest';
import { mailchimp } from '../../destinations/mailchimp/index.js';
import {
  createDestinationContext,
  DestinationError,
  effectiveLimits,
  parseSettings,
} from '../../src/destination-kit/index.js';
import { type MailchimpEmulator, startMailchimp } from './mailchimp-harness.js';

const KEY = '0123456789abcdef0123456789abcdef-us6';

describe('mailchimp connector', () => {
  let emulator: MailchimpEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it("takes the host from the key's data centre and sends Basic auth with the key as password", async () => {
    const settings = parseSettings(mailchimp, { api_key: KEY, list_id: 'L1' });
    expect(mailchimp.baseUrl?.(settings)).toBe('https://us6.api.mailchimp.com/3.0');
    const auth = mailchimp.headers?.(settings).Authorization ?? '';
    expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString()).toMatch(
      new RegExp(`^[^:]+:${KEY}$`),
    );
    expect(mailchimp.account?.(settings)).toMatch(/^https:\/\/us6\.api\.mailchimp\.com#key-[0-9a-f]{12}$/);
    expect(mailchimp.account?.(settings)).not.toContain(KEY);
    expect(() => parseSettings(mailchimp, { api_key: 'nosuffix', list_id: 'L1' })).toThrow(/data centre/);
  });

  it('caps concurrency at 10 connections whatever the setting says', () => {
    const high = parseSettings(mailchimp, { api_key: KEY, list_id: 'L1', concurrency: 64 });
    expect(effectiveLimits(mailchimp, high).concurrency).toBe(10);
    const low = parseSettings(mailchimp, { api_key: KEY, list_id: 'L1', concurrency: 3 });
    expect(effectiveLimits(mailchimp, low).concurrency).toBe(3);
  });

  it('reads a bare 403 as throttling and a problem+json 403 as auth', () => {
    const generic = new DestinationError('auth', 'not authorised (HTTP 403)', { status: 403 });
    const bare = mailchimp.refineError?.({ status: 403, headers: new Headers(), body: '' }, generic);
    expect(bare?.kind).toBe('rate_limit');
    const body = JSON.stringify({ title: 'Forbidden', status: 403, detail: 'API key disabled' });
    const real = mailchimp.refineError?.({ status: 403, headers: new Headers(), body }, generic);
    expect([real?.kind, real?.message]).toEqual(['auth', 'Mailchimp 403: Forbidden: API key disabled']);
  });

  it('tags one member per request; a 429 midway keeps the earlier ones and leaves the rest retryable', async () => {
    emulator = await startMailchimp();
    const settings = parseSettings(mailchimp, emulator.settings);
    const ctx = (mode: 'upsert' | 'membership') =>
      createDestinationContext(mailchimp, settings, { syncName: 's', runId: 'r', mode, list: 'vip' });
    const records = [0, 1, 2, 3].map((i) => ({
      key: `p${i}@example.com`,
      op: 'added' as const,
      fields: { email: `p${i}@example.com` },
    }));
    await mailchimp.upsert?.(ctx('upsert'), records);
    const before = emulator.snapshot().state.requests.length;
    const tagged = await mailchimp.addMembers?.(ctx('membership'), records.slice(0, 2));
    expect(tagged?.map((r) => r.status)).toEqual(['ok', 'ok']);
    // Of the next two tag requests, the second is throttled.
    emulator.injectFaults({
      fail: [
        { kind: 'slow', delayMs: 0 },
        { kind: 'status', status: 429, retryAfter: '3' },
      ],
    });
    const results = await mailchimp.addMembers?.(ctx('membership'), records.slice(2));
    expect(results).toEqual([
      { status: 'ok', destinationId: expect.stringMatching(/^[0-9a-f]{32}$/) },
      { status: 'retryable', reason: expect.stringMatching(/429/), retryAfterMs: 3000 },
    ]);
    const tagRequests = emulator
      .snapshot()
      .state.requests.slice(before)
      .filter((r) => r.path.endsWith('/tags'));
    // The throttled request never reached the emulator (the framework answered it).
    expect(tagRequests.map((r) => r.status)).toEqual([204, 204, 204]);
  });

  it('deletePerson deletes the member permanently, and a stranger is nothing to erase', async () => {
    emulator = await startMailchimp();
    const settings = parseSettings(mailchimp, emulator.settings);
    const ctx = createDestinationContext(mailchimp, settings, { syncName: 's', runId: 'r', mode: 'upsert' });
    await mailchimp.upsert?.(ctx, [
      { key: 'a@example.com', op: 'added', fields: { email: 'a@example.com' } },
    ]);
    await mailchimp.deletePerson?.(ctx, 'A@Example.com');
    await mailchimp.deletePerson?.(ctx, 'stranger@example.com');
    expect(emulator.snapshot().state.members.a1b2c3d4e5).toEqual({});
    const erase = emulator
      .snapshot()
      .state.requests.filter((r) => r.path.endsWith('/actions/delete-permanent'));
    expect(erase.map((r) => r.status)).toEqual([204, 404]);
  });
});
