/**
 * Consent: a sync with `consent: [purposes]` sends only people who granted every one of them.
 * weft.yml `privacy.consent` gives each purpose its signals: a `profiles` trait, the
 * `context.consent.categoryPreferences` of collected events (Segment's consent shape; the person's
 * latest event carrying the category decides), and a column of an identity source (its rows linked
 * to people by identity_rows). A person is sent when at least one signal speaks for them and none
 * refuses. Others are held back from the source; already-sent people who withdraw leave the plan's
 * source, so the sync removes them as its mode removes (mirror, membership) and never updates them.
 */
import { relationKind } from '../build/relations.js';
import { snakeCase } from '../events/land/names.js';
import { rowKeyExpr } from '../identity/row-key.js';
import { SyncConfigError } from '../sync/resolve.js';
import type { ConsentPurpose, ConsentRule } from '../sync/types.js';
import type { Warehouse } from '../warehouse/types.js';

/** Values that grant a purpose (compared lowercased, as text). */
export const GRANTED_VALUES = ['true', 't', 'yes', 'y', '1', 'granted', 'opt_in', 'opted_in'];

/** The events column Segment's `context.consent.categoryPreferences[category]` lands in. */
export function consentEventColumn(category: string): string {
  return `context_consent_category_preferences_${snakeCase(category)}`;
}

/**
 * SQL over the source's columns: true when the row's person lacks a purpose (hold it back).
 * Throws a SyncConfigError for an undeclared purpose, a source without `profile_id`, or a consent
 * source that identity.yml does not read.
 */
export async function consentHold(
  warehouse: Warehouse,
  sync: string,
  rule: ConsentRule,
  sourceColumns: string[],
): Promise<string> {
  const d = warehouse.dialect;
  const missing = Object.entries(rule.purposes).filter(([, spec]) => spec === undefined);
  if (missing.length > 0)
    throw new SyncConfigError(
      `sync '${sync}': consent purpose '${missing[0]?.[0]}' is not declared in weft.yml privacy.consent`,
    );
  if (!sourceColumns.includes('profile_id'))
    throw new SyncConfigError(
      `sync '${sync}': consent needs a profile_id column in the source to find each person's consent`,
    );
  const refusals: string[] = [];
  for (const [purpose, spec] of Object.entries(rule.purposes)) {
    const signals = await signalsOf(warehouse, sync, purpose, rule, spec as ConsentPurpose);
    const consenting =
      signals.length === 0
        ? `SELECT ${d.cast('NULL', 'string')} AS profile_id WHERE 1 = 0`
        : `SELECT profile_id FROM (${signals.join('\nUNION ALL\n')}) AS c
GROUP BY profile_id HAVING min(CASE WHEN ok THEN 1 ELSE 0 END) = 1`;
    refusals.push(`${d.quoteIdent('profile_id')} NOT IN (${consenting})`);
  }
  return `(${d.quoteIdent('profile_id')} IS NULL OR ${refusals.join(' OR ')})`;
}

/** `SELECT profile_id, ok` per signal of one purpose that speaks (non-NULL values only). */
async function signalsOf(
  warehouse: Warehouse,
  sync: string,
  purpose: string,
  rule: ConsentRule,
  spec: ConsentPurpose,
): Promise<string[]> {
  const d = warehouse.dialect;
  const granted = (expr: string) =>
    `(lower(${d.cast(expr, 'string')}) IN (${GRANTED_VALUES.map((v) => d.literal(v)).join(', ')}))`;
  const out: string[] = [];
  if (spec.trait) {
    const t = d.quoteIdent(spec.trait);
    out.push(
      `SELECT profile_id, ${granted(t)} AS ok FROM ${d.qualify(rule.profiles)} WHERE ${t} IS NOT NULL`,
    );
  }
  const map = { schema: rule.schema, name: 'identity_map' };
  if (spec.events && (await relationKind(warehouse, map))) {
    const column = consentEventColumn(spec.events.category);
    const tables = await warehouse.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = ${d.literal(rule.eventsSchema)} AND column_name = ${d.literal(column)} ORDER BY table_name`,
    );
    if (tables.length > 0) {
      const c = d.quoteIdent(column);
      const events = tables
        .map(
          (row) =>
            `SELECT user_id, anonymous_id, ${d.quoteIdent('timestamp')} AS ts, ${c} AS v FROM ${d.qualify({ schema: rule.eventsSchema, name: String(row.table_name) })} WHERE ${c} IS NOT NULL`,
        )
        .join('\nUNION ALL\n');
      const { userIdType, anonymousIdType } = spec.events;
      out.push(`SELECT profile_id, ok FROM (
  SELECT m.profile_id, ${granted('e.v')} AS ok,
    row_number() OVER (PARTITION BY m.profile_id ORDER BY e.ts DESC) AS rn
  FROM (${events}) AS e JOIN ${d.qualify(map)} AS m
    ON (m.id_type = ${d.literal(userIdType)} AND m.id_value = e.user_id)
    OR (m.id_type = ${d.literal(anonymousIdType)} AND m.id_value = e.anonymous_id)
) AS latest WHERE rn = 1`);
    }
  }
  if (spec.source) {
    const { from, column, relation, identity } = spec.source;
    if (!relation || !identity)
      throw new SyncConfigError(
        `sync '${sync}': consent purpose '${purpose}' reads ${from}, which is not a source of models/identity.yml`,
      );
    const rows = { schema: rule.schema, name: 'identity_rows' };
    if (await relationKind(warehouse, rows)) {
      const c = d.quoteIdent(column);
      out.push(`SELECT r.profile_id, ${granted('s.v')} AS ok
FROM (SELECT ${rowKeyExpr(d, identity)} AS row_key, ${c} AS v FROM ${d.qualify(relation)} WHERE ${c} IS NOT NULL) AS s
JOIN ${d.qualify(rows)} AS r ON r.source = ${d.literal(from)} AND r.row_key = s.row_key`);
    }
  }
  return out;
}
