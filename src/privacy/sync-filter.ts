/**
 * What a sync leaves out for privacy: a source row whose key, `profile_id` or `email` column hashes
 * to a suppressed identifier, and the snapshot rows of such keys. The planner neither sends nor
 * removes them: the privacy request's erase step owns their removal from the destination, with
 * the vendor's deletion API (stronger than a mode's removal) and a ledger entry.
 */
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { isSuppressed } from './suppress.js';

/** Source columns checked besides the sync key. */
const PERSON_COLUMNS = ['profile_id', 'email'];

/** Conditions for the planner's `exclude` (see plan-sql.ts). */
export function suppressedRows(
  warehouse: Warehouse,
  suppressions: RelationRef,
  sourceColumns: string[],
  key: string,
): { source: string; snapshot: string } {
  const q = (name: string) => warehouse.dialect.quoteIdent(name);
  const checked = [key, ...PERSON_COLUMNS.filter((c) => c !== key && sourceColumns.includes(c))];
  return {
    source: checked.map((c) => isSuppressed(warehouse, suppressions, q(c))).join(' OR '),
    snapshot: isSuppressed(warehouse, suppressions, q('key')),
  };
}
