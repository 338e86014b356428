/** support: helpdesk tickets, keyed only by the email the person wrote from. */
import { ID_SLOTS, idNumber } from '../ids.js';
import { MESSY_ROLE_MAILBOXES, typos } from '../messy.js';
import { presentEmail, typingNoise } from '../noise.js';
import { type Person, STREAM } from '../person.js';
import { Rng } from '../prng.js';
import { RAW_SCHEMA, type SeedTable, type SourceRow } from '../table.js';
import { between, isoTimestampText } from '../time.js';
import { ROLE_MAILBOXES, TICKET_SUBJECTS } from '../vocab.js';

const PRIORITIES = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const;
const STATUSES = ['open', 'pending', 'solved', 'solved', 'closed', 'closed'] as const;

function ticketEmail(rng: Rng, person: Person, messy: boolean): string {
  // the harder seed: tickets sent from the company's shared role mailbox
  if (messy && person.company && rng.chance(0.12))
    return `${rng.pick(MESSY_ROLE_MAILBOXES)}@${person.company.domain}`;
  const roll = rng.float();
  if (person.company && person.workEmail && roll < 0.45) {
    return roll < 0.05 ? `${rng.pick(ROLE_MAILBOXES)}@${person.company.domain}` : person.workEmail;
  }
  if (person.familyEmail && roll > 0.75) return person.familyEmail;
  return person.personalEmail;
}

export const supportTickets: SeedTable = {
  source: 'support',
  ref: { schema: RAW_SCHEMA, name: 'tickets' },
  keyColumn: 'ticket_id',
  columns: [
    { name: 'ticket_id', type: 'integer' },
    { name: 'email', type: 'string' },
    { name: 'subject', type: 'string' },
    { name: 'priority', type: 'string' },
    { name: 'status', type: 'string' },
    // ISO-8601 text from the helpdesk API: staging casts it.
    { name: 'created_at', type: 'string' },
  ],
  rowsFor(ctx, person) {
    if (person.tickets === 0) return [];
    const rng = Rng.forKey(ctx.seed, person.index, STREAM.tickets);
    const rows: SourceRow[] = [];
    for (let slot = 0; slot < person.tickets; slot++) {
      const ticketId = idNumber(ctx, person.index, slot, ID_SLOTS.ticket);
      rows.push({
        key: String(ticketId),
        values: [
          ticketId,
          presentEmail(
            rng,
            ticketEmail(rng, person, ctx.messy),
            { junk: 0.01, missing: 0.03, ...typos(ctx) },
            'help',
          ),
          rng.pick(TICKET_SUBJECTS),
          typingNoise(rng, rng.pick(PRIORITIES)),
          rng.pick(STATUSES),
          isoTimestampText(between(rng, person.joinedAtMs, ctx.asOfMs)),
        ],
      });
    }
    return rows;
  },
};
