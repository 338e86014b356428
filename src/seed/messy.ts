/**
 * The harder seed (`weft seed --noise messy`): what B2B CRMs and years of typing add on top of the
 * standard noise. Small companies whose contacts share role mailboxes (info@, sales@, contact@,
 * office@ at the company's domain) and a desk phone; phones in unassigned exchanges (0xx, 1xx)
 * that recur identically across sources; common names shared by many people; typos in emails.
 * Everything here draws from its own streams, so the standard seed's data is unchanged.
 */
import type { SeedContext } from './context.js';
import { Rng, scramble } from './prng.js';
import { AREA_CODES, COMPANY_PREFIXES, COMPANY_SUFFIXES } from './vocab.js';

/** Streams of the messy generators (distinct from person.ts's STREAM values). */
export const MESSY_STREAM = { company: 40, person: 41 } as const;

/** Consecutive people who may work at one company: ~5.4 employed people per company. */
const COMPANY_BLOCK = 12;
/** Role mailboxes of the harder seed, shared by a company's contacts (info@ the most common). */
export const MESSY_ROLE_MAILBOXES = ['info', 'info', 'info', 'sales', 'contact', 'office'] as const;
/** Desk phones live in a toll-free area code no person's own phone uses. */
export const DESK_AREA_CODE = '877';
/** Common names many people share (name collisions), drawn by 15% of people. */
const COMMON_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['John', 'Smith'],
  ['Maria', 'Garcia'],
  ['David', 'Lee'],
  ['Wei', 'Chen'],
  ['Anna', 'Kowalski'],
];
/** Share of people whose own phone sits in an unassigned exchange (0xx or 1xx). */
const UNASSIGNED_EXCHANGE_RATE = 0.05;
/** Space of unassigned-exchange numbers: 28 area codes × 2,000,000 exchange+line pairs. */
const UNASSIGNED_SPACE = AREA_CODES.length * 2_000_000;

/** A company of the harder seed: shared by the employed people of one block of people. */
export interface MessyCompany {
  name: string;
  domain: string;
  /** 10 digits: the front desk line its contacts often give. */
  deskPhone: string;
}

/** The company of person `index`'s block (the same for every employed person of the block). */
export function messyCompany(ctx: SeedContext, index: number): MessyCompany {
  const block = Math.floor(index / COMPANY_BLOCK);
  const rng = Rng.forKey(ctx.seed, block, MESSY_STREAM.company);
  const prefix = rng.pick(COMPANY_PREFIXES);
  const suffix = rng.pick(COMPANY_SUFFIXES);
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  const x = scramble(block, 8_000_000);
  return {
    name: `${prefix} ${suffix}`,
    // the block number keeps small companies apart (Acme Labs 17 is not Acme Labs 18)
    domain: `${slug(prefix)}${slug(suffix)}${block}.com`,
    deskPhone: `${DESK_AREA_CODE}${200 + Math.floor(x / 10_000)}${String(x % 10_000).padStart(4, '0')}`,
  };
}

/** What the harder seed changes about one person (undefined fields: keep the standard value). */
export interface MessyPerson {
  name?: readonly [string, string];
  /** The person's own phone, in an unassigned exchange. */
  phone?: string;
}

/** The messy overrides of person `index`. */
export function messyPerson(ctx: SeedContext, index: number): MessyPerson {
  const rng = Rng.forKey(ctx.seed, index, MESSY_STREAM.person);
  const out: MessyPerson = {};
  if (rng.chance(0.15)) out.name = rng.pick(COMMON_NAMES);
  if (rng.chance(UNASSIGNED_EXCHANGE_RATE)) {
    // unique per person: exchange 000-199 never meets a standard phone's 200-999
    const x = scramble(index, UNASSIGNED_SPACE);
    const rest = x % 2_000_000;
    const area = AREA_CODES[Math.floor(x / 2_000_000)] as string;
    out.phone = `${area}${String(Math.floor(rest / 10_000)).padStart(3, '0')}${String(rest % 10_000).padStart(4, '0')}`;
  }
  return out;
}

/** Typo rates for a source's emails: 2% in the harder seed, none in the standard one. */
export function typos(ctx: SeedContext): { typo?: number } {
  return ctx.messy ? { typo: 0.02 } : {};
}

/**
 * An email as typed with a typo: two adjacent letters of the local part swapped (never digits,
 * which make addresses unique, so a typo never produces another person's address).
 */
export function emailTypo(rng: Rng, email: string): string {
  const at = email.indexOf('@');
  const letters: number[] = [];
  for (let i = 0; i + 1 < at; i++) {
    if (
      /[a-z]/i.test(email[i] as string) &&
      /[a-z]/i.test(email[i + 1] as string) &&
      email[i] !== email[i + 1]
    )
      letters.push(i);
  }
  if (letters.length === 0) return email;
  const i = rng.pick(letters);
  return `${email.slice(0, i)}${email[i + 1]}${email[i]}${email.slice(i + 2)}`;
}
