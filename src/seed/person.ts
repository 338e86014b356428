/**
 * One true person of the demo population: identity attributes plus which sources they appear
 * in and how often. Derived only from (seed, index), so every table can recompute it.
 */
import { DAY_MS, HISTORY_DAYS, type SeedContext } from './context.js';
import { ID_SLOTS, idNumber } from './ids.js';
import { messyCompany, messyPerson } from './messy.js';
import { Rng, scramble } from './prng.js';
import { between } from './time.js';
import {
  AREA_CODES,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  FIRST_NAMES,
  LAST_NAMES,
  PERSONAL_DOMAINS,
} from './vocab.js';

/** Streams of the per-person generators (kept distinct so tables are independent). */
export const STREAM = {
  person: 1,
  household: 2,
  customers: 10,
  orders: 11,
  contacts: 12,
  events: 13,
  tickets: 14,
  signups: 15,
  appEvents: 16,
  accountManager: 17,
  devices: 18,
} as const;

/** A shop account of the person (a few people have two). */
export interface CustomerAccount {
  customerId: string;
  createdAtMs: number;
  /** Which of the person's emails the account was opened with. */
  emailKind: 'personal' | 'work' | 'family';
}

export interface Company {
  name: string;
  domain: string;
  /** The front desk line (harder seed only). */
  deskPhone?: string;
}

/** The ground truth about one person. Emails and phones here are clean and canonical. */
export interface Person {
  index: number;
  personId: number;
  firstName: string;
  lastName: string;
  personalEmail: string;
  /** Shared with a partner (same household). */
  familyEmail: string | null;
  company: Company | null;
  workEmail: string | null;
  /** 10 digits, NANP. */
  phone: string;
  secondPhone: string | null;
  joinedAtMs: number;
  accounts: CustomerAccount[];
  contacts: number;
  webEvents: number;
  appEvents: number;
  tickets: number;
  signups: number;
}

const slugs = new Map<string, string>();

/** Lowercase ASCII letters only, for email local parts (`O'Brien` → `obrien`, `Müller` → `muller`). */
function slug(name: string): string {
  // Memoized: names come from small vocabularies and this runs millions of times.
  let out = slugs.get(name);
  if (out === undefined) {
    out = name
      .toLowerCase()
      .replace(/ü/g, 'u')
      .replace(/[^a-z]/g, '');
    slugs.set(name, out);
  }
  return out;
}

function personalLocalPart(rng: Rng, first: string, last: string, unique: number): string {
  const f = slug(first);
  const l = slug(last);
  switch (rng.int(0, 4)) {
    case 0:
      return `${f}.${l}${unique}`;
    case 1:
      return `${f}${l}${unique}`;
    case 2:
      return `${f[0]}${l}${unique}`;
    case 3:
      return `${f}_${l}${unique}`;
    default:
      return `${l}.${f}${unique}`;
  }
}

/** A unique 10-digit phone for `slot` (< 8M): exchange 200-999, any line number. */
function phoneNumber(rng: Rng, slot: number): string {
  const x = scramble(slot, 8_000_000);
  const exchange = 200 + Math.floor(x / 10_000);
  const line = String(x % 10_000).padStart(4, '0');
  return `${rng.pick(AREA_CODES)}${exchange}${line}`;
}

/** Whether person `index` shares a household (last name, family email) with its block partner. */
function household(ctx: SeedContext, index: number): { lastName: string; familyEmail: string } | null {
  const block = Math.floor(index / 2);
  if (block * 2 + 1 >= ctx.people) return null;
  const rng = Rng.forKey(ctx.seed, block, STREAM.household);
  if (!rng.chance(0.05)) return null;
  const lastName = rng.pick(LAST_NAMES);
  const familyEmail = `${slug(lastName)}.family${scramble(block, ctx.personSpace)}@${rng.pick(PERSONAL_DOMAINS)}`;
  return { lastName, familyEmail };
}

/** Deterministically build person `index` (0-based). */
export function makePerson(ctx: SeedContext, index: number): Person {
  const rng = Rng.forKey(ctx.seed, index, STREAM.person);
  const messy = ctx.messy ? messyPerson(ctx, index) : undefined;
  const shared = household(ctx, index);
  // the standard draws always happen, so the harder seed overrides values without shifting them
  const pickedFirstName = rng.pick(FIRST_NAMES);
  const ownLastName = rng.pick(LAST_NAMES);
  const firstName = messy?.name?.[0] ?? pickedFirstName;
  const lastName = shared?.lastName ?? messy?.name?.[1] ?? ownLastName;
  const unique = scramble(index, ctx.personSpace);
  const personalEmail = `${personalLocalPart(rng, firstName, lastName, unique)}@${rng.pick(PERSONAL_DOMAINS)}`;

  let company: Company | null = null;
  let workEmail: string | null = null;
  if (rng.chance(0.45)) {
    const prefix = rng.pick(COMPANY_PREFIXES);
    const suffix = rng.pick(COMPANY_SUFFIXES);
    company = ctx.messy
      ? messyCompany(ctx, index)
      : { name: `${prefix} ${suffix}`, domain: `${slug(prefix)}${slug(suffix)}.com` };
    workEmail = `${slug(firstName)[0]}${slug(lastName)}${unique}@${company.domain}`;
  }
  const standardPhone = phoneNumber(rng, index);
  const phone = messy?.phone ?? standardPhone;
  const secondPhone = rng.chance(0.15) ? phoneNumber(rng, ctx.people + index) : null;
  const historyStart = ctx.asOfMs - HISTORY_DAYS * DAY_MS;
  const joinedAtMs = historyStart + rng.int(0, HISTORY_DAYS * 86_400 - 3_600) * 1000;

  const accounts: CustomerAccount[] = [];
  if (rng.chance(0.7)) {
    const firstAt = Math.min(joinedAtMs + rng.int(0, 30 * 86_400) * 1000, ctx.asOfMs - 3_600_000);
    accounts.push({
      customerId: String(idNumber(ctx, index, 0, ID_SLOTS.customer)),
      createdAtMs: firstAt,
      emailKind: 'personal',
    });
    if (rng.chance(0.04)) {
      // A forgotten-password duplicate account opened later with another address.
      const laterAt = between(rng, firstAt, ctx.asOfMs);
      const emailKind = workEmail ? 'work' : shared ? 'family' : 'personal';
      accounts.push({
        customerId: String(idNumber(ctx, index, 1, ID_SLOTS.customer)),
        createdAtMs: laterAt,
        emailKind,
      });
    }
  }
  return {
    index,
    personId: index + 1,
    firstName,
    lastName,
    personalEmail,
    familyEmail: shared?.familyEmail ?? null,
    company,
    workEmail,
    phone,
    secondPhone,
    joinedAtMs,
    accounts,
    contacts: rng.chance(0.6) ? (rng.chance(0.05) ? 2 : 1) : 0,
    webEvents: rng.chance(0.8) ? rng.int(3, 17) : 0,
    appEvents: rng.chance(0.3) ? rng.int(4, 16) : 0,
    tickets: rng.chance(0.22) ? rng.pick([1, 1, 1, 1, 1, 2, 2, 3]) : 0,
    signups: rng.chance(0.35) ? (rng.chance(0.15) ? 2 : 1) : 0,
  };
}
