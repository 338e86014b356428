/**
 * max_per_profile, enforced after components are found. A component that breaks a limit is
 * rebuilt one priority level at a time, highest first: level k adds the edges whose
 * lower-priority end has priority k. Where adding a level keeps every limit, its edges merge
 * freely; where it would break one, the blocks built so far stay apart, and each identifier of
 * level k joins the block it links to that holds the highest-priority identifier (the oldest
 * ones first, up to the type's limit) or, when several such blocks tie, stands alone: it is the
 * bridge, and its edges are cut, while the leaves (a phone seen with its owner's user id and with
 * the bridging email) stay with their owner. Deterministic: only ids, ages and values decide.
 */
import type { RelationRef } from '../warehouse/types.js';
import { connectedComponents } from './components.js';
import { type IdentityContext, perTypeCase } from './context.js';
import { workTable } from './sql.js';

/** Final groups of the affected nodes and what the limits did. */
export interface LimitResult {
  /** Work table (node_id, grp): grp is a node id naming the node's final group. */
  groups: RelationRef;
  /** Work table (a_type, a_value, b_type, b_value): used edges the limits cut. */
  dropped: RelationRef;
  violatingComponents: number;
  rounds: number;
}

/** Splits the components of `affected` (nodes with raw labels) that break a limit. */
export async function applyLimits(ctx: IdentityContext, affected: RelationRef): Promise<LimitResult> {
  const maxOf = (column: string) =>
    perTypeCase(ctx, column, (t) => (t.maxPerProfile ? String(t.maxPerProfile) : undefined));
  const aff = ctx.q(affected);
  const violating = await workTable(
    ctx,
    'lim_violating',
    `SELECT DISTINCT label FROM (SELECT label, id_type, count(*) AS c FROM ${aff} GROUP BY label, id_type) x WHERE c > ${maxOf('id_type')}`,
  );
  const vq = ctx.q(violating);
  const violatingComponents = await ctx.count(`SELECT count(*) AS n FROM ${vq}`);
  if (violatingComponents === 0) {
    return {
      groups: await workTable(ctx, 'groups', `SELECT node_id, label AS grp FROM ${aff}`),
      dropped: await workTable(
        ctx,
        'dropped',
        `SELECT ${['a_type', 'a_value', 'b_type', 'b_value'].map((c) => `${ctx.d.cast('NULL', 'string')} AS ${c}`).join(', ')} WHERE 1 = 0`,
      ),
      violatingComponents,
      rounds: 0,
    };
  }
  const nodes = await workTable(
    ctx,
    'lim_nodes',
    `SELECT n.* FROM ${aff} n WHERE n.label IN (SELECT label FROM ${vq})`,
  );
  const nq = ctx.q(nodes);
  const edges = await workTable(
    ctx,
    'lim_edges',
    `SELECT DISTINCT na.node_id AS a, nb.node_id AS b, na.priority AS pa, nb.priority AS pb,
       greatest(na.priority, nb.priority) AS level
     FROM ${ctx.q(ctx.state('edges'))} e
     JOIN ${nq} na ON na.id_type = e.a_type AND na.id_value = e.a_value
     JOIN ${nq} nb ON nb.id_type = e.b_type AND nb.id_value = e.b_value
     WHERE NOT e.hub`,
  );
  const levels = (
    await ctx.warehouse.query<{ p: unknown }>(`SELECT DISTINCT priority AS p FROM ${nq} ORDER BY p`)
  ).map((r) => Number(r.p));
  let blocks = await workTable(
    ctx,
    'lim_blocks_init',
    `SELECT node_id, node_id AS block FROM ${nq} WHERE 1 = 0`,
  );
  let rounds = 0;
  for (const k of levels) {
    const bq = ctx.q(blocks);
    const vertexEdges = await workTable(
      ctx,
      'lim_level_edges',
      `SELECT va, vb, a, b, pa, pb FROM (SELECT coalesce(ba.block, e.a) AS va, coalesce(bb.block, e.b) AS vb, e.a, e.b, e.pa, e.pb
       FROM ${ctx.q(edges)} e LEFT JOIN ${bq} ba ON ba.node_id = e.a LEFT JOIN ${bq} bb ON bb.node_id = e.b
       WHERE e.level = ${k}) x WHERE va <> vb`,
    );
    const veq = ctx.q(vertexEdges);
    const pairs = await workTable(
      ctx,
      'lim_pairs',
      `SELECT least(va, vb) AS a, greatest(va, vb) AS b FROM ${veq}`,
    );
    const cc = await connectedComponents(ctx, pairs, 'lim_cc', (round, changed) =>
      ctx.emit({ type: 'identity_round', round: rounds + round, changed, phase: 'limits' }),
    );
    rounds += cc.rounds;
    const members = await workTable(
      ctx,
      'lim_members',
      `SELECT n.node_id, n.id_type, n.id_value, n.priority, n.first_seen_at, v.vertex, coalesce(m.root, v.vertex) AS root
       FROM ${nq} n JOIN (SELECT n2.node_id, coalesce(b.block, n2.node_id) AS vertex FROM ${nq} n2 LEFT JOIN ${bq} b ON b.node_id = n2.node_id) v
         ON v.node_id = n.node_id
       LEFT JOIN ${ctx.q(cc.map)} m ON m.node = v.vertex
       WHERE n.priority <= ${k}`,
    );
    const mq = ctx.q(members);
    // The one vertex each level-k node joins: of the vertices it links, the one holding the
    // highest-priority identifier, when a single one does (NULL when several tie, or none). A
    // phone linking its owner's user id and a shared email joins the owner; the email, linking
    // two owners, is the bridge and stands alone — the leaves keep their block.
    const rank = `SELECT vertex, min(priority) AS vrank FROM ${mq} GROUP BY vertex`;
    const sole = `SELECT knode, min(other) AS block FROM (
        SELECT l.knode, l.other, r.vrank, min(r.vrank) OVER (PARTITION BY l.knode) AS best FROM (
          SELECT DISTINCT CASE WHEN pa = ${k} THEN a ELSE b END AS knode, CASE WHEN pa = ${k} THEN vb ELSE va END AS other FROM ${veq}
        ) l JOIN (${rank}) r ON r.vertex = l.other
      ) x WHERE vrank = best GROUP BY knode HAVING count(DISTINCT other) = 1`;
    const kMax = ctx.types.find((t) => t.priority === k)?.maxPerProfile;
    blocks = await workTable(
      ctx,
      `lim_blocks_${k}`,
      `WITH bad AS (SELECT DISTINCT root FROM (SELECT root, id_type, count(*) AS c FROM ${mq} GROUP BY root, id_type) x WHERE c > ${maxOf('id_type')}),
       placed AS (
         SELECT m.node_id, m.priority, m.first_seen_at, m.id_value, m.vertex, m.root, (bad.root IS NOT NULL) AS in_bad, s.block AS sole_block
         FROM ${mq} m LEFT JOIN bad ON bad.root = m.root LEFT JOIN (${sole}) s ON s.knode = m.node_id),
       ranked AS (
         SELECT p.*, row_number() OVER (PARTITION BY in_bad, sole_block ORDER BY first_seen_at NULLS LAST, id_value, node_id) AS nth FROM placed p)
       SELECT node_id, CASE
           WHEN NOT in_bad THEN root
           WHEN priority < ${k} THEN vertex
           WHEN sole_block IS NOT NULL ${kMax ? `AND nth <= ${kMax}` : ''} THEN sole_block
           ELSE node_id END AS block
       FROM ranked`,
    );
  }
  const groups = await workTable(
    ctx,
    'groups',
    `SELECT node_id, label AS grp FROM ${aff} WHERE label NOT IN (SELECT label FROM ${vq})
     UNION ALL SELECT node_id, block AS grp FROM ${ctx.q(blocks)}`,
  );
  const bq = ctx.q(blocks);
  const dropped = await workTable(
    ctx,
    'dropped',
    `SELECT DISTINCT na.id_type AS a_type, na.id_value AS a_value, nb.id_type AS b_type, nb.id_value AS b_value
     FROM ${ctx.q(ctx.state('edges'))} e
     JOIN ${nq} na ON na.id_type = e.a_type AND na.id_value = e.a_value
     JOIN ${nq} nb ON nb.id_type = e.b_type AND nb.id_value = e.b_value
     JOIN ${bq} ba ON ba.node_id = na.node_id JOIN ${bq} bb ON bb.node_id = nb.node_id
     WHERE NOT e.hub AND ba.block <> bb.block`,
  );
  return { groups, dropped, violatingComponents, rounds };
}
