/**
 * Raw (pre-limit) components, kept as a label per node (the component's smallest node id).
 * The new edges' endpoints are replaced by their current labels, the same rounds run on that
 * small graph, and every node relabels to the root of its old label: new = coalesce(root(old),
 * old). A fresh build is the same with every node new, so incremental equals full.
 */
import type { RelationRef } from '../warehouse/types.js';
import { connectedComponents } from './components.js';
import type { IdentityContext } from './context.js';
import { replaceMatching, workTable } from './sql.js';
import { STATE_TABLES } from './tables.js';

/** Merges components through the new used edges; returns the rounds run. */
export async function mergeComponents(ctx: IdentityContext, freshEdges: RelationRef): Promise<number> {
  const nodes = ctx.q(ctx.state('nodes'));
  const pairs = await workTable(
    ctx,
    'cc_edges',
    `SELECT DISTINCT least(na.label, nb.label) AS a, greatest(na.label, nb.label) AS b
     FROM ${ctx.q(freshEdges)} e
     JOIN ${nodes} na ON na.id_type = e.a_type AND na.id_value = e.a_value
     JOIN ${nodes} nb ON nb.id_type = e.b_type AND nb.id_value = e.b_value
     WHERE NOT e.hub AND na.label <> nb.label`,
  );
  const { map, rounds } = await connectedComponents(ctx, pairs, 'cc', (round, changed) =>
    ctx.emit({ type: 'identity_round', round, changed, phase: 'components' }),
  );
  const relabeled = await workTable(
    ctx,
    'relabeled',
    `SELECT n.node_id, n.id_type, n.id_value, n.priority, n.first_seen_at, n.last_seen_at, m.root AS label
     FROM ${nodes} n JOIN ${ctx.q(map)} m ON m.node = n.label WHERE m.root <> n.label`,
  );
  await replaceMatching(ctx, ctx.state('nodes'), relabeled, ['node_id'], STATE_TABLES.nodes ?? []);
  return rounds;
}

/** Every node in a component that holds a touched node (work `affected`); all nodes when `full`. */
export async function affectedNodes(
  ctx: IdentityContext,
  touched: RelationRef,
  full: boolean,
): Promise<RelationRef> {
  const nodes = ctx.q(ctx.state('nodes'));
  const where = full
    ? ''
    : `WHERE n.label IN (SELECT DISTINCT s.label FROM ${nodes} s WHERE s.node_id IN (SELECT node_id FROM ${ctx.q(touched)}))`;
  return workTable(ctx, 'affected', `SELECT n.* FROM ${nodes} n ${where}`);
}
