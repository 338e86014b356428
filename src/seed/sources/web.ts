/**
 * web: page views keyed by a cookie (anonymous_id). user_id (the shop's customer_id) is NULL
 * until the visitor signs up or logs in on that cookie; the signup/login event carries both.
 */
import { DAY_MS, HISTORY_DAYS } from '../context.js';
import { ID_SLOTS, idNumber, uuidLike } from '../ids.js';
import { STREAM } from '../person.js';
import { Rng } from '../prng.js';
import { RAW_SCHEMA, type SeedTable, type SourceRow } from '../table.js';
import { between } from '../time.js';
import { UTM_SUFFIXES, WEB_PATHS } from '../vocab.js';
import { deviceTimeline } from './timeline.js';

const SITE = 'https://shop.weft.example';

export const webEvents: SeedTable = {
  source: 'web',
  ref: { schema: RAW_SCHEMA, name: 'events' },
  keyColumn: 'event_id',
  columns: [
    { name: 'event_id', type: 'string' },
    { name: 'anonymous_id', type: 'string' },
    { name: 'user_id', type: 'string' },
    { name: 'event_type', type: 'string' },
    { name: 'url', type: 'string' },
    { name: 'ts', type: 'timestamp' },
  ],
  rowsFor(ctx, person) {
    if (person.webEvents === 0) return [];
    const rng = Rng.forKey(ctx.seed, person.index, STREAM.events);
    const account = person.accounts[0] ?? null;
    const devices = person.webEvents >= 6 && rng.chance(0.3) ? 2 : 1;
    const firstDeviceEvents = devices === 1 ? person.webEvents : Math.ceil(person.webEvents * 0.6);
    const browseFromMs = Math.max(ctx.asOfMs - HISTORY_DAYS * DAY_MS, person.joinedAtMs - 14 * DAY_MS);
    const rows: SourceRow[] = [];
    for (let device = 0; device < devices; device++) {
      const anonymousId = uuidLike(rng.hex(18), idNumber(ctx, person.index, device, ID_SLOTS.anonymousId));
      let identifyAtMs: number | null = null;
      let identifyType = 'login';
      if (account && device === 0 && rng.chance(0.7)) {
        identifyAtMs = account.createdAtMs;
        identifyType = 'signup';
      } else if (account && rng.chance(0.65)) {
        identifyAtMs = between(rng, Math.max(browseFromMs, account.createdAtMs), ctx.asOfMs);
      }
      const count = device === 0 ? firstDeviceEvents : person.webEvents - firstDeviceEvents;
      for (const step of deviceTimeline(rng, count, browseFromMs, ctx.asOfMs, identifyAtMs)) {
        const eventId = `evt_${idNumber(ctx, person.index, rows.length, ID_SLOTS.webEvent).toString(36)}`;
        let eventType = 'page_view';
        let path: string = rng.pick(WEB_PATHS);
        if (step.identifies) {
          eventType = identifyType;
          path = `/${identifyType}`;
        } else if (rng.chance(0.15)) {
          eventType = 'pricing_page_view';
          path = '/pricing';
        }
        rows.push({
          key: eventId,
          values: [
            eventId,
            anonymousId,
            step.identified && account ? account.customerId : null,
            eventType,
            `${SITE}${path}${rng.pick(UTM_SUFFIXES)}`,
            new Date(step.atMs),
          ],
        });
      }
    }
    return rows;
  },
};
