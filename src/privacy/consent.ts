/**
 * Consent: a sync with `consent: [purposes]` sends only people whose profile grants every one of
 * them (weft.yml `privacy.consent` maps a purpose to a `profiles` trait). Others are held back
 * from the source; already-sent people who withdraw leave the plan's source, so the sync removes
 * them as its mode removes (mirror, membership) and never updates them again.
 */
import { SyncConfigError } from '../sync/resolve.js';
import type { ConsentRule } from '../sync/types.js';
import type { Dialect } from '../warehouse/types.js';

/** Trait values that grant a purpose (compared lowercased, as text). */
export const GRANTED_VALUES = ['true', 't', 'yes', 'y', '1', 'granted', 'opt_in', 'opted_in'];

/**
 * SQL over the source's columns: true when the row's person lacks a purpose (hold it back).
 * Throws a SyncConfigError for an undeclared purpose or a source without `profile_id`.
 */
export function consentHold(
  dialect: Dialect,
  sync: string,
  rule: ConsentRule,
  sourceColumns: string[],
): string {
  const missing = Object.entries(rule.traits).filter(([, trait]) => trait === undefined);
  if (missing.length > 0)
    throw new SyncConfigError(
      `sync '${sync}': consent purpose '${missing[0]?.[0]}' is not declared in weft.yml privacy.consent (purpose: profiles trait)`,
    );
  if (!sourceColumns.includes('profile_id'))
    throw new SyncConfigError(
      `sync '${sync}': consent needs a profile_id column in the source to find each person's consent`,
    );
  const granted = Object.values(rule.traits).map(
    (trait) =>
      `lower(${dialect.cast(dialect.quoteIdent(trait as string), 'string')}) IN (${GRANTED_VALUES.map((v) => dialect.literal(v)).join(', ')})`,
  );
  const consenting = `SELECT profile_id FROM ${dialect.qualify(rule.profiles)} WHERE ${granted.join(' AND ')}`;
  return `(${dialect.quoteIdent('profile_id')} IS NULL OR ${dialect.quoteIdent('profile_id')} NOT IN (${consenting}))`;
}
