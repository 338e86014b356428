/** newsletter: signups by email only; some people sign up twice, couples under a family address. */
import { ID_SLOTS, idNumber } from '../ids.js';
import { typos } from '../messy.js';
import { presentEmail } from '../noise.js';
import { STREAM } from '../person.js';
import { Rng } from '../prng.js';
import { RAW_SCHEMA, type SeedTable, type SourceRow } from '../table.js';
import { between, isoTimestampText } from '../time.js';
import { NEWSLETTER_SOURCES } from '../vocab.js';

export const newsletterSignups: SeedTable = {
  source: 'newsletter',
  ref: { schema: RAW_SCHEMA, name: 'signups' },
  keyColumn: 'signup_id',
  columns: [
    { name: 'signup_id', type: 'integer' },
    { name: 'email', type: 'string' },
    { name: 'source', type: 'string' },
    // Text from the email tool's export: staging casts them ('' means "never").
    { name: 'subscribed_at', type: 'string' },
    { name: 'unsubscribed_at', type: 'string' },
  ],
  rowsFor(ctx, person) {
    if (person.signups === 0) return [];
    const rng = Rng.forKey(ctx.seed, person.index, STREAM.signups);
    const rows: SourceRow[] = [];
    for (let slot = 0; slot < person.signups; slot++) {
      const signupId = idNumber(ctx, person.index, slot, ID_SLOTS.signup);
      const email = person.familyEmail && rng.chance(0.3) ? person.familyEmail : person.personalEmail;
      const subscribedAtMs = between(rng, person.joinedAtMs, ctx.asOfMs);
      let unsubscribedAt: string | null = rng.chance(0.1) ? '' : null;
      if (rng.chance(0.2)) unsubscribedAt = isoTimestampText(between(rng, subscribedAtMs, ctx.asOfMs));
      rows.push({
        key: String(signupId),
        values: [
          signupId,
          presentEmail(rng, email, { junk: 0.02, missing: 0, ...typos(ctx) }, 'news'),
          rng.pick(NEWSLETTER_SOURCES),
          isoTimestampText(subscribedAtMs),
          unsubscribedAt,
        ],
      });
    }
    return rows;
  },
};
