/** app: mobile events keyed by device; user_id (the shop's customer_id) appears after login. */
import { ID_SLOTS, idNumber, uniqueHex12, uuidLike } from '../ids.js';
import { STREAM } from '../person.js';
import { Rng } from '../prng.js';
import { RAW_SCHEMA, type SeedTable, type SourceRow } from '../table.js';
import { between } from '../time.js';
import { deviceTimeline } from './timeline.js';

const EVENT_TYPES = [
  'app_open',
  'app_open',
  'screen_view',
  'screen_view',
  'screen_view',
  'add_to_cart',
  'purchase',
];
/** Platform spellings as different SDK versions reported them; staging lowercases. */
const IOS_SPELLINGS = ['ios', 'ios', 'iOS', 'IOS'] as const;
const ANDROID_SPELLINGS = ['android', 'android', 'Android', 'ANDROID'] as const;

function deviceId(rng: Rng, ios: boolean, unique: number): string {
  // iOS identifierForVendor is an uppercase UUID; Android ID is 16 lowercase hex digits.
  if (ios) return uuidLike(rng.hex(18), unique).toUpperCase();
  return `${rng.hex(4)}${uniqueHex12(unique)}`;
}

export const appEvents: SeedTable = {
  source: 'app',
  ref: { schema: RAW_SCHEMA, name: 'app_events' },
  keyColumn: 'event_id',
  columns: [
    { name: 'event_id', type: 'string' },
    { name: 'device_id', type: 'string' },
    { name: 'user_id', type: 'string' },
    { name: 'platform', type: 'string' },
    { name: 'event_type', type: 'string' },
    { name: 'ts', type: 'timestamp' },
  ],
  rowsFor(ctx, person) {
    if (person.appEvents === 0) return [];
    const rng = Rng.forKey(ctx.seed, person.index, STREAM.appEvents);
    const account = person.accounts[0] ?? null;
    const devices = person.appEvents >= 6 && rng.chance(0.2) ? 2 : 1;
    const firstDeviceEvents = devices === 1 ? person.appEvents : Math.ceil(person.appEvents * 0.6);
    const rows: SourceRow[] = [];
    for (let device = 0; device < devices; device++) {
      const ios = rng.chance(0.55);
      const id = deviceId(rng, ios, idNumber(ctx, person.index, device, ID_SLOTS.device));
      const platform = rng.pick(ios ? IOS_SPELLINGS : ANDROID_SPELLINGS);
      const fromMs = person.joinedAtMs;
      const identifyAtMs =
        account && rng.chance(0.75) ? between(rng, Math.max(fromMs, account.createdAtMs), ctx.asOfMs) : null;
      const count = device === 0 ? firstDeviceEvents : person.appEvents - firstDeviceEvents;
      for (const step of deviceTimeline(rng, count, fromMs, ctx.asOfMs, identifyAtMs)) {
        const eventId = `app_${idNumber(ctx, person.index, rows.length, ID_SLOTS.appEvent).toString(36)}`;
        let eventType = step.identifies ? 'login' : rng.pick(EVENT_TYPES);
        if (eventType === 'purchase' && !step.identified) eventType = 'add_to_cart';
        rows.push({
          key: eventId,
          values: [
            eventId,
            id,
            step.identified && account ? account.customerId : null,
            platform,
            eventType,
            new Date(step.atMs),
          ],
        });
      }
    }
    return rows;
  },
};
