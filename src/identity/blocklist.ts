/** The user's blocklist per id type: exact values normalized by the same SQL as the data, and globs. */
import type { IdentityContext } from './context.js';
import { isGlob } from './junk.js';
import { normalizeExpr } from './normalize.js';

/** Blocked entries of one id type. */
export interface Blocked {
  values: string[];
  globs: string[];
}

/** Loads the blocklist, normalizing exact entries in the warehouse (entries that normalize to nothing are dropped). */
export async function loadBlocklist(ctx: IdentityContext): Promise<Map<string, Blocked>> {
  const result = new Map<string, Blocked>();
  for (const type of ctx.types) {
    const entries = ctx.config.blocklist[type.name] ?? [];
    const globs = entries.filter(isGlob).map((g) => (type.normalize === 'email' ? g.toLowerCase() : g));
    const exact = entries.filter((e) => !isGlob(e));
    let values: string[] = [];
    if (exact.length > 0) {
      const select = exact
        .map((entry) => `SELECT ${normalizeExpr(ctx.d, type, ctx.d.literal(entry))} AS v`)
        .join(' UNION ALL ');
      const rows = await ctx.warehouse.query<{ v: unknown }>(select);
      values = [...new Set(rows.map((r) => r.v).filter((v): v is string => typeof v === 'string'))].sort();
    }
    result.set(type.name, { values, globs });
  }
  return result;
}
