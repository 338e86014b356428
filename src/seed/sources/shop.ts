/** shop: customers (one per account; a few people have two) and their orders. */
import type { SeedContext } from '../context.js';
import { ID_SLOTS, idNumber } from '../ids.js';
import { typos } from '../messy.js';
import { presentEmail, presentPhone, typingNoise } from '../noise.js';
import { type CustomerAccount, type Person, STREAM } from '../person.js';
import { Rng } from '../prng.js';
import { RAW_SCHEMA, type SeedTable, type SourceRow } from '../table.js';
import { between, sortedInstants } from '../time.js';
import { ACCOUNT_MANAGERS } from '../vocab.js';

/** Paid spend (all accounts) from which the shop's back office assigns an account manager. */
export const KEY_ACCOUNT_MIN_SPEND = 500;

function accountEmail(person: Person, account: CustomerAccount): string {
  if (account.emailKind === 'work' && person.workEmail) return person.workEmail;
  if (account.emailKind === 'family' && person.familyEmail) return person.familyEmail;
  return person.personalEmail;
}

export const shopCustomers: SeedTable = {
  source: 'shop',
  ref: { schema: RAW_SCHEMA, name: 'customers' },
  keyColumn: 'customer_id',
  columns: [
    { name: 'customer_id', type: 'string' },
    { name: 'email', type: 'string' },
    { name: 'phone', type: 'string' },
    { name: 'first_name', type: 'string' },
    { name: 'last_name', type: 'string' },
    { name: 'created_at', type: 'timestamp' },
    { name: 'updated_at', type: 'timestamp' },
    // The key-account desk's owner of the customer (null for most): see accountManager.
    { name: 'account_manager', type: 'string' },
  ],
  rowsFor(ctx, person) {
    if (person.accounts.length === 0) return [];
    const rng = Rng.forKey(ctx.seed, person.index, STREAM.customers);
    const manager = accountManager(ctx, person);
    return person.accounts.map((account) => {
      // Couples sometimes shop under their shared family address.
      const email =
        person.familyEmail && rng.chance(0.3) ? person.familyEmail : accountEmail(person, account);
      const phone = person.secondPhone && rng.chance(0.5) ? person.secondPhone : person.phone;
      const updatedAtMs = between(rng, account.createdAtMs, ctx.asOfMs);
      return {
        key: account.customerId,
        values: [
          account.customerId,
          presentEmail(rng, email, { junk: 0.015, missing: 0.01, ...typos(ctx) }, 'shop'),
          presentPhone(rng, phone, { junk: 0.02, missing: 0.25 }),
          typingNoise(rng, person.firstName),
          typingNoise(rng, person.lastName),
          new Date(account.createdAtMs),
          new Date(updatedAtMs),
          manager,
        ],
      };
    });
  },
};

/**
 * The account manager of a key account: a person whose paid orders (every account, guest
 * checkouts included) total KEY_ACCOUNT_MIN_SPEND or more, so every VIP of the demo audiences
 * (lifetime value >= 500) has one. Drawn from its own stream: the other columns do not move.
 */
export function accountManager(ctx: SeedContext, person: Person): string | null {
  let paid = 0;
  for (const order of shopOrders.rowsFor(ctx, person)) {
    if (String(order.values[4]).toLowerCase() === 'paid') paid += order.values[2] as number;
  }
  if (paid < KEY_ACCOUNT_MIN_SPEND) return null;
  return Rng.forKey(ctx.seed, person.index, STREAM.accountManager).pick(ACCOUNT_MANAGERS);
}

const ORDER_COUNTS = [0, 1, 1, 2, 2, 3, 3, 3, 4, 5, 6] as const;
const STATUSES = [
  'paid',
  'paid',
  'paid',
  'paid',
  'paid',
  'paid',
  'paid',
  'refunded',
  'pending',
  'cancelled',
] as const;
const CURRENCIES = ['USD', 'USD', 'USD', 'USD', 'USD', 'USD', 'USD', 'usd', 'EUR', 'GBP'] as const;

export const shopOrders: SeedTable = {
  source: 'shop',
  ref: { schema: RAW_SCHEMA, name: 'orders' },
  keyColumn: 'order_id',
  columns: [
    { name: 'order_id', type: 'integer' },
    { name: 'customer_id', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'currency', type: 'string' },
    { name: 'status', type: 'string' },
    { name: 'created_at', type: 'timestamp' },
  ],
  rowsFor(ctx, person) {
    if (person.accounts.length === 0) return [];
    const rng = Rng.forKey(ctx.seed, person.index, STREAM.orders);
    const rows: SourceRow[] = [];
    for (const account of person.accounts) {
      const count = Math.min(rng.pick(ORDER_COUNTS), ID_SLOTS.order - rows.length);
      for (const atMs of sortedInstants(rng, count, account.createdAtMs, ctx.asOfMs)) {
        const orderId = idNumber(ctx, person.index, rows.length, ID_SLOTS.order);
        const cents = rng.chance(0.1) ? rng.int(25_000, 150_000) : rng.int(1_500, 25_000);
        // Guest checkouts: the order exists but carries no customer id.
        const customerId = rng.chance(0.02) ? null : account.customerId;
        const status = rng.pick(STATUSES);
        rows.push({
          key: String(orderId),
          values: [
            orderId,
            customerId,
            cents / 100,
            rng.pick(CURRENCIES),
            rng.chance(0.05) ? status.toUpperCase() : status,
            new Date(atMs),
          ],
        });
      }
    }
    return rows;
  },
};
