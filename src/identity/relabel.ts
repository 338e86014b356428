/**
 * Raw (pre-limit) components, kept as a label per node (the component's smallest node id).
 * The new edges' endpoints are replaced by their current labels, the same rounds run on that
 * small graph, and every node relabels to the root of its old label: new = coalesce(root(old),
 * old). A fresh build is the same with every node new, so incremental equals full.
 */
import type { RelationRef } from '../warehouse/types.js';
import { connectedComponents } from './components.js';
import type { IdentityContext } from './context.js';
import { appendTo, replaceMatching, workTable } from './sql.js';
import { STATE_TABLES } from './tables.js';

/** What merging components produced. */
export interface Relabeled {
  /** Nodes written to the state by this build (touched and relabeled), with their new labels. */
  written: RelationRef;
  rounds: number;
}

/** Merges components through the new used edges and writes the touched and relabeled nodes to the state. */
export async function mergeComponents(
  ctx: IdentityContext,
  freshEdges: RelationRef,
  touched: RelationRef,
  full: boolean,
): Promise<Relabeled> {
  const state = ctx.q(ctx.state('nodes'));
  const t = ctx.q(touched);
  // every endpoint of a new edge occurs in a new row, so it is a touched node
  const pairs = await workTable(
    ctx,
    'cc_edges',
    `SELECT DISTINCT least(na.label, nb.label) AS a, greatest(na.label, nb.label) AS b
     FROM ${ctx.q(freshEdges)} e
     JOIN ${t} na ON na.id_type = e.a_type AND na.id_value = e.a_value
     JOIN ${t} nb ON nb.id_type = e.b_type AND nb.id_value = e.b_value
     WHERE NOT e.hub AND na.label <> nb.label`,
  );
  const { map, rounds } = await connectedComponents(ctx, pairs, 'cc', (round, changed) =>
    ctx.emit({ type: 'identity_round', round, changed, phase: 'components' }),
  );
  const m = ctx.q(map);
  const cols = 'node_id, id_type, id_value, priority, first_seen_at, last_seen_at';
  const relabeledTouched = `SELECT ${cols}, coalesce(m.root, n.label) AS label FROM ${t} n LEFT JOIN ${m} m ON m.node = n.label`;
  const nodeCols = STATE_TABLES.nodes ?? [];
  if (full) {
    await appendTo(ctx, ctx.state('nodes'), nodeCols, relabeledTouched);
    return { written: ctx.state('nodes'), rounds };
  }
  const written = await workTable(
    ctx,
    'nodes_written',
    `${relabeledTouched}
     UNION ALL
     SELECT ${cols
       .split(', ')
       .map((c) => `n.${c}`)
       .join(', ')}, m.root AS label FROM ${state} n JOIN ${m} m ON m.node = n.label
     WHERE m.root <> n.label AND NOT EXISTS (SELECT 1 FROM ${t} x WHERE x.node_id = n.node_id)`,
  );
  await replaceMatching(ctx, ctx.state('nodes'), written, ['node_id'], nodeCols);
  return { written, rounds };
}

/** Every node in a component that holds a written node (work `affected`); all nodes when `full`. */
export async function affectedNodes(
  ctx: IdentityContext,
  written: RelationRef,
  full: boolean,
): Promise<RelationRef> {
  const nodes = ctx.q(ctx.state('nodes'));
  if (full) return ctx.state('nodes');
  return workTable(
    ctx,
    'affected',
    `SELECT n.* FROM ${nodes} n WHERE n.label IN (SELECT DISTINCT label FROM ${ctx.q(written)})`,
  );
}
