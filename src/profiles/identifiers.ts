/**
 * Keeps values the identity step refuses as identifiers out of column traits. A trait reading
 * a column that its identity source lists under `ids` gets, per such id type, the build's own
 * normalization and the junk and blocklist conditions of src/identity (wide.ts's `junk` and
 * `blocklist` reasons); a candidate value they refuse never becomes the trait. Values that only
 * fail normalization (`invalid`) stay: they are data, not placeholders.
 */
import type { IdentityConfig } from '../config/types.js';
import type { IdType } from '../identity/context.js';
import { idTypesOf } from '../identity/id-types.js';
import { isGlob, junkCleanedCondition, junkValueCondition, matchesAny } from '../identity/junk.js';
import { NORMALIZE_STAGES, normalizeExpr, normalizerFor } from '../identity/normalize.js';
import type { Dialect } from '../warehouse/types.js';

/** An id type a trait's column holds in one source, with identity.yml's blocklist for it. */
export interface IdentifierCheck {
  type: IdType;
  blocklist: string[];
}

/** The id types whose column in identity source `from` is `column` (exact name), in priority order. */
export function identifierChecks(identity: IdentityConfig, from: string, column: string): IdentifierCheck[] {
  const source = identity.sources.find((s) => s.from === from);
  if (!source) return [];
  return idTypesOf(identity)
    .filter((type) => source.ids[type.name] === column)
    .map((type) => ({ type, blocklist: identity.blocklist[type.name] ?? [] }));
}

/**
 * `candidates` (a SELECT with weft_profile_id, weft_priority, weft_value, weft_order) without
 * the rows whose weft_value `checks` refuse. Normalization runs in fenced stages, as in the
 * identity build, so no regexp is repeated per reference.
 */
export function withoutRefused(d: Dialect, candidates: string, checks: IdentifierCheck[]): string {
  if (checks.length === 0) return candidates;
  const raw = d.cast('weft_value', 'string');
  let sql = candidates;
  for (let i = 0; i < NORMALIZE_STAGES; i++) {
    const cols = checks.map(({ type }) => {
      const normalizer = normalizerFor(d, type);
      const previous = i === 0 ? raw : `weft_n${i - 1}_${type.priority}`;
      const expr = (normalizer.stages[i] ?? ((x: string) => x))(previous);
      // the cleaned form is taken from stage 0's output, as the identity build does
      const cleaned =
        i === 1 ? `, ${normalizer.cleaned(`weft_n0_${type.priority}`)} AS weft_c_${type.priority}` : '';
      return `${expr} AS weft_n${i}_${type.priority}${cleaned}`;
    });
    sql = `SELECT weft_s${i}.*, ${cols.join(', ')} FROM (${sql}${d.fence()}) AS weft_s${i}`;
  }
  const refused = checks.map((check) => `${refusedCase(d, check)} = 0`).join(' AND ');
  return `SELECT weft_profile_id, weft_priority, weft_value, weft_order FROM (${sql}${d.fence()}) AS weft_checked WHERE ${refused}`;
}

/** 1 when the identity build would give the value the reason `junk` or `blocklist`, else 0. */
function refusedCase(d: Dialect, { type, blocklist }: IdentifierCheck): string {
  const norm = `weft_n${NORMALIZE_STAGES - 1}_${type.priority}`;
  const cleaned = `weft_c_${type.priority}`;
  // exact entries are normalized by the same SQL as the data (as loadBlocklist does)
  const exact = blocklist.filter((e) => !isGlob(e)).map((e) => normalizeExpr(d, type, d.literal(e)));
  const globs = blocklist.filter(isGlob).map((g) => (type.normalize === 'email' ? g.toLowerCase() : g));
  const blocked = [
    ...(exact.length > 0 ? [`${norm} IN (${exact.join(', ')})`] : []),
    ...(globs.length > 0 ? [matchesAny(d, norm, [], globs)] : []),
  ];
  return `CASE WHEN ${junkCleanedCondition(d, type, cleaned)} THEN 1
      WHEN ${norm} IS NULL THEN 0
      WHEN ${junkValueCondition(d, type, norm)} THEN 1${blocked.map((b) => `\n      WHEN ${b} THEN 1`).join('')}
      ELSE 0 END`;
}
