/** The identity report's whole-graph figures, read back from the output tables. */
import type { IdentityContext } from './context.js';
import { phoneStrictlyValidSql } from './normalize.js';
import { resolveSources } from './source-columns.js';
import type { GiantProfile, IdentityReport } from './types.js';
import { rawOf } from './wide.js';

/** Figures describing the graph after the build. */
export type GraphFigures = Pick<
  IdentityReport,
  | 'identifiers'
  | 'profiles'
  | 'largest_profile'
  | 'values_blocked'
  | 'phones_not_strictly_valid'
  | 'hubs'
  | 'shared'
  | 'shared_values'
  | 'limits_applied'
  | 'giant_profiles'
>;

/** Reads the figures from identity_map, identity_occurrences, identity_edges and the hub state. */
export async function graphFigures(ctx: IdentityContext): Promise<GraphFigures> {
  const map = ctx.q(ctx.out('identity_map'));
  const [sizes] = await ctx.warehouse.query(
    `SELECT count(*) AS profiles, coalesce(sum(n), 0) AS identifiers, coalesce(max(n), 0) AS largest
     FROM (SELECT profile_id, count(*) AS n FROM ${map} GROUP BY profile_id) p`,
  );
  // read the wide state tables directly: the occurrences view would also join the hub list
  const blockedParts = resolveSources(ctx).flatMap((rs) =>
    rs.ids.map(
      (id) =>
        `SELECT ${ctx.d.literal(id.type.name)} AS id_type, ${id.norm} AS id_value, ${rawOf(id)} AS raw_value
         FROM ${ctx.q(ctx.state(`src_${rs.index}`))} WHERE ${id.reason} IN ('junk', 'blocklist')`,
    ),
  );
  const valuesBlocked = await ctx.count(
    `SELECT count(*) AS n FROM (SELECT DISTINCT id_type, coalesce(id_value, raw_value) AS v FROM (${blockedParts.join(' UNION ALL ')}) o) b`,
  );
  const phoneTypes = ctx.types.filter((t) => t.normalize === 'phone').map((t) => ctx.d.literal(t.name));
  const notStrict =
    phoneTypes.length === 0
      ? 0
      : await ctx.count(
          `SELECT count(*) AS n FROM ${map} WHERE id_type IN (${phoneTypes.join(', ')}) AND NOT ${phoneStrictlyValidSql(ctx.d, 'id_value')}`,
        );
  const hubList = ctx.q(ctx.state('hubs'));
  const hubs = await ctx.count(`SELECT count(*) AS n FROM ${hubList} WHERE reason = 'hub'`);
  const shared = await ctx.count(`SELECT count(*) AS n FROM ${hubList} WHERE reason = 'shared'`);
  const sharedRows = await ctx.warehouse.query(
    `SELECT id_type, id_value, partners FROM ${hubList} WHERE reason = 'shared' ORDER BY partners DESC, id_type, id_value LIMIT 50`,
  );
  const limits = await ctx.count(
    `SELECT count(*) AS n FROM ${ctx.q(ctx.out('identity_edges'))} WHERE unused_reason = 'limit'`,
  );
  let giant: GiantProfile[] = [];
  const size = ctx.config.giant_component_size;
  if (size !== undefined) {
    const rows = await ctx.warehouse.query(
      `SELECT profile_id, count(*) AS n FROM ${map} GROUP BY profile_id HAVING count(*) > ${size} ORDER BY n DESC, profile_id LIMIT 10`,
    );
    giant = rows.map((r) => ({ profile_id: String(r.profile_id), identifiers: Number(r.n) }));
  }
  return {
    identifiers: Number(sizes?.identifiers ?? 0),
    profiles: Number(sizes?.profiles ?? 0),
    largest_profile: Number(sizes?.largest ?? 0),
    values_blocked: valuesBlocked,
    phones_not_strictly_valid: notStrict,
    hubs,
    shared,
    shared_values: sharedRows.map((r) => ({
      id_type: String(r.id_type),
      id_value: String(r.id_value),
      persons: Number(r.partners),
    })),
    limits_applied: limits,
    giant_profiles: giant,
  };
}
