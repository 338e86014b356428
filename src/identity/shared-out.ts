/**
 * identity_shared: every value never merged on (shared or hub), attached to each profile whose
 * rows carry it, rewritten whole by every build (it follows identity_rows, which merges move).
 */
import type { IdentityContext } from './context.js';
import type { ResolvedSource } from './source-columns.js';
import { unionAll } from './sql.js';
import { OUTPUT_TABLES } from './tables.js';

/** Rewrites identity_shared from the state's rows, the hub list and identity_rows. */
export async function writeShared(ctx: IdentityContext, sources: ResolvedSource[]): Promise<void> {
  const { d } = ctx;
  const hubs = ctx.q(ctx.state('hubs'));
  const parts = sources.flatMap((rs) =>
    rs.ids.map(
      (id) =>
        `SELECT ${d.literal(rs.source.from)} AS source, w.row_key, ${d.literal(id.type.name)} AS id_type, w.${id.norm} AS id_value
         FROM ${ctx.q(ctx.state(`src_${rs.index}`))} w
         WHERE w.${id.reason} IS NULL AND w.${id.norm} IN (SELECT id_value FROM ${hubs} WHERE id_type = ${d.literal(id.type.name)})`,
    ),
  );
  const seen = unionAll(
    ctx,
    parts,
    ['source', 'row_key', 'id_type', 'id_value'].map((name) => ({ name, type: 'string' as const })),
  );
  const out = ctx.out('identity_shared');
  const columns = (OUTPUT_TABLES.identity_shared ?? []).map((c) => c.name);
  await ctx.run(`DELETE FROM ${ctx.q(out)}`);
  await ctx.run(
    d.insertSelect(
      out,
      columns,
      `SELECT o.id_type, o.id_value, r.profile_id, h.reason, h.partners AS persons, count(*) AS row_count
       FROM (${seen}) o
       JOIN ${ctx.q(ctx.out('identity_rows'))} r ON r.source = o.source AND r.row_key = o.row_key
       JOIN ${hubs} h ON h.id_type = o.id_type AND h.id_value = o.id_value
       GROUP BY o.id_type, o.id_value, r.profile_id, h.reason, h.partners`,
    ),
  );
}
