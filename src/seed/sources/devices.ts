/**
 * devices: the smart meters the shop sold and installed, registered to a shop account. A meter
 * reports faults over MQTT (`meters/<device_id>/fault` in the demo's weft.yml), and this registry
 * is what ties its device id to the customer (identity.yml: device_id + user_id).
 */
import { ID_SLOTS, idNumber, uniqueHex12 } from '../ids.js';
import { STREAM } from '../person.js';
import { Rng } from '../prng.js';
import { RAW_SCHEMA, type SeedTable, type SourceRow } from '../table.js';
import { between } from '../time.js';
import { METER_MODELS } from '../vocab.js';

/** A meter serial as printed on the device: `SM-` and 12 uppercase hex digits, unique. */
function meterSerial(unique: number): string {
  return `SM-${uniqueHex12(unique).toUpperCase()}`;
}

export const devices: SeedTable = {
  source: 'devices',
  ref: { schema: RAW_SCHEMA, name: 'devices' },
  keyColumn: 'device_id',
  columns: [
    { name: 'device_id', type: 'string' },
    { name: 'customer_id', type: 'string' },
    { name: 'model', type: 'string' },
    { name: 'installed_at', type: 'timestamp' },
  ],
  rowsFor(ctx, person) {
    const account = person.accounts[0];
    if (!account) return [];
    const rng = Rng.forKey(ctx.seed, person.index, STREAM.devices);
    if (!rng.chance(0.2)) return [];
    const count = rng.chance(0.1) ? 2 : 1;
    const rows: SourceRow[] = [];
    for (let slot = 0; slot < count; slot++) {
      const serial = meterSerial(idNumber(ctx, person.index, slot, ID_SLOTS.meter));
      rows.push({
        key: serial,
        values: [
          serial,
          account.customerId,
          rng.pick(METER_MODELS),
          new Date(between(rng, account.createdAtMs, ctx.asOfMs)),
        ],
      });
    }
    return rows;
  },
};
