/**
 * Segment's and RudderStack's Node SDKs pointed at an in-process `weft serve`: their events are
 * acknowledged and land in DuckDB with Segment's columns and the flattened properties.
 */

import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/config/types.js';
import { type RunningCollector, startCollector } from '../../src/serve/collector.js';
import { withWarehouse } from '../../src/warehouse/shared-access.js';
import {
  loadEventsProject,
  removeProject,
  SERVER_KEY,
  WEB_KEY,
  waitFor,
  writeEventsProject,
} from './project.js';

let dir: string;
let project: Project;
let collector: RunningCollector;

beforeAll(async () => {
  dir = writeEventsProject();
  project = await loadEventsProject(dir);
  collector = await startCollector(project, { port: 0 });
});
afterAll(async () => {
  await collector?.close();
  removeProject(dir);
});

async function rows(sql: string): Promise<Array<Record<string, unknown>>> {
  return withWarehouse(project, (warehouse) => warehouse.query(sql));
}
async function count(table: string, where = 'true'): Promise<number> {
  const exists = await rows(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'events' AND table_name = '${table}'`,
  );
  if (Number(exists[0]?.n) === 0) return 0;
  const [row] = await rows(`SELECT count(*) AS n FROM events.${table} WHERE ${where}`);
  return Number(row?.n);
}

describe('SDKs against weft serve', () => {
  it('lands @segment/analytics-node calls in tracks, the event table, identifies, pages, groups and aliases', async () => {
    const analytics = new Analytics({ writeKey: SERVER_KEY, host: collector.url, flushAt: 5, maxRetries: 3 });
    const errors: unknown[] = [];
    analytics.on('error', (error) => errors.push(error));
    analytics.identify({ userId: 'seg-u1', traits: { email: 'ada@example.com', plan: 'pro' } });
    analytics.track({
      userId: 'seg-u1',
      event: 'Order Completed',
      properties: { revenue: 42.5, currency: 'EUR', coupon: { code: 'WINTER' }, items: [1, 2] },
      timestamp: new Date('2026-01-02T03:04:05.000Z'),
    });
    analytics.page({
      anonymousId: 'anon-1',
      name: 'Pricing',
      properties: { url: 'https://shop.example/pricing' },
    });
    analytics.group({ userId: 'seg-u1', groupId: 'acme', traits: { employees: 30 } });
    analytics.alias({ userId: 'seg-u1', previousId: 'anon-1' });
    await analytics.closeAndFlush();
    expect(errors).toEqual([]);
    await waitFor('the segment events to land', async () =>
      (await count('aliases')) >= 1 && (await count('order_completed')) >= 1 ? true : undefined,
    );
    const [order] = await rows(
      "SELECT id, user_id, event, event_text, revenue, currency, coupon_code, items, source, context_library_name FROM events.order_completed WHERE user_id = 'seg-u1'",
    );
    expect(order).toMatchObject({
      user_id: 'seg-u1',
      event: 'order_completed',
      event_text: 'Order Completed',
      revenue: 42.5,
      currency: 'EUR',
      coupon_code: 'WINTER',
      items: '[1,2]',
      source: 'backend',
      context_library_name: '@segment/analytics-node',
    });
    const [track] = await rows(
      `SELECT properties, original_timestamp FROM events.tracks WHERE id = '${order?.id}'`,
    );
    expect(JSON.parse(String(track?.properties))).toMatchObject({
      revenue: 42.5,
      coupon: { code: 'WINTER' },
    });
    expect((track as { original_timestamp: Date }).original_timestamp.toISOString()).toBe(
      '2026-01-02T03:04:05.000Z',
    );
    const [identify] = await rows(
      "SELECT email, plan, traits FROM events.identifies WHERE user_id = 'seg-u1'",
    );
    expect(identify).toMatchObject({ email: 'ada@example.com', plan: 'pro' });
    expect(await count('pages', "anonymous_id = 'anon-1' AND name = 'Pricing'")).toBe(1);
    expect(await count('groups', "group_id = 'acme' AND employees = 30")).toBe(1);
    expect(await count('aliases', "previous_id = 'anon-1' AND user_id = 'seg-u1'")).toBe(1);
  });

  it('lands @rudderstack/rudder-sdk-node calls, gzip on, with the source named by its write key', async () => {
    const client = new RudderAnalytics(WEB_KEY, {
      dataPlaneUrl: collector.url,
      flushAt: 3,
      gzip: true,
      logLevel: 'error',
    });
    client.track({ userId: 'rs-u1', event: 'Signed Up', properties: { plan: 'free', trial_days: 14 } });
    client.track({
      anonymousId: 'rs-anon',
      event: 'Signed Up',
      properties: { plan: 'team', trial_days: 30 },
    });
    client.identify({ userId: 'rs-u1', traits: { email: 'rs@example.com' } });
    await client.flush();
    await waitFor('the rudderstack events to land', async () =>
      (await count('signed_up')) >= 2 ? true : undefined,
    );
    const landed = await rows(
      'SELECT user_id, anonymous_id, plan, trial_days, source FROM events.signed_up ORDER BY plan',
    );
    expect(landed).toEqual([
      { user_id: 'rs-u1', anonymous_id: null, plan: 'free', trial_days: 14, source: 'web' },
      { user_id: null, anonymous_id: 'rs-anon', plan: 'team', trial_days: 30, source: 'web' },
    ]);
  });
});
