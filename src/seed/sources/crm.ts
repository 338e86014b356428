/** crm: sales contacts, mostly under work addresses; role mailboxes shared by whole companies. */
import { ID_SLOTS, idNumber } from '../ids.js';
import { MESSY_ROLE_MAILBOXES, typos } from '../messy.js';
import { presentEmail, presentPhone, typingNoise } from '../noise.js';
import { type Person, STREAM } from '../person.js';
import { Rng } from '../prng.js';
import { RAW_SCHEMA, type SeedTable, type SourceRow } from '../table.js';
import { between, sqlTimestampText } from '../time.js';
import { COMPANY_FORMS, ROLE_MAILBOXES } from '../vocab.js';

const PLANS = ['free', 'free', 'starter', 'starter', 'pro', 'enterprise'] as const;

/** The address a contact is filed under; `duplicate` picks a different one when possible. */
function contactEmail(rng: Rng, person: Person, duplicate: boolean, messy: boolean): string {
  if (person.company && person.workEmail) {
    // the harder seed: a third of a company's contacts are filed under a shared role mailbox
    if (messy && rng.chance(0.35)) return `${rng.pick(MESSY_ROLE_MAILBOXES)}@${person.company.domain}`;
    if (rng.chance(0.05)) return `${rng.pick(ROLE_MAILBOXES)}@${person.company.domain}`;
    if (duplicate !== rng.chance(0.8)) return person.workEmail;
  }
  if (person.familyEmail && rng.chance(0.1)) return person.familyEmail;
  return person.personalEmail;
}

function companyName(rng: Rng, person: Person): string | null {
  if (!person.company) return rng.chance(0.1) ? '' : null;
  const name = `${person.company.name}${rng.pick(COMPANY_FORMS)}`;
  return rng.chance(0.1) ? name.toLowerCase() : name;
}

export const crmContacts: SeedTable = {
  source: 'crm',
  ref: { schema: RAW_SCHEMA, name: 'contacts' },
  keyColumn: 'contact_id',
  columns: [
    { name: 'contact_id', type: 'string' },
    { name: 'email', type: 'string' },
    { name: 'phone', type: 'string' },
    { name: 'first_name', type: 'string' },
    { name: 'last_name', type: 'string' },
    { name: 'company', type: 'string' },
    { name: 'plan', type: 'string' },
    // Exported as text (a CSV sync): staging casts it.
    { name: 'updated_at', type: 'string' },
  ],
  rowsFor(ctx, person) {
    if (person.contacts === 0) return [];
    const rng = Rng.forKey(ctx.seed, person.index, STREAM.contacts);
    const rows: SourceRow[] = [];
    for (let slot = 0; slot < person.contacts; slot++) {
      const contactId = `CT-${idNumber(ctx, person.index, slot, ID_SLOTS.contact)}`;
      const own = person.secondPhone && rng.chance(0.5) ? person.secondPhone : person.phone;
      // the harder seed: contacts often give the company's desk line
      const desk =
        ctx.messy && person.company?.deskPhone && rng.chance(0.3) ? person.company.deskPhone : undefined;
      const phone = desk ?? own;
      const plan = rng.pick(PLANS);
      rows.push({
        key: contactId,
        values: [
          contactId,
          presentEmail(
            rng,
            contactEmail(rng, person, slot > 0, ctx.messy),
            { junk: 0.02, missing: 0.04, ...typos(ctx) },
            'crm',
          ),
          presentPhone(rng, phone, { junk: 0.03, missing: 0.3 }),
          typingNoise(rng, person.firstName),
          typingNoise(rng, person.lastName),
          companyName(rng, person),
          rng.chance(0.03) ? 'null' : typingNoise(rng, plan),
          sqlTimestampText(between(rng, person.joinedAtMs, ctx.asOfMs)),
        ],
      });
    }
    return rows;
  },
};
