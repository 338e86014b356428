/**
 * Connected components by alternating large-star / small-star rounds (Kiveris et al., SoCC
 * 2014) over integer node ids, each step one CREATE TABLE AS. Edges are (a, b) with a < b.
 * The loop stops when the edges form stars (every b has exactly one a, no a is some b): a
 * further round would change nothing, and each star's centre is its component's minimum.
 */
import type { RelationRef } from '../warehouse/types.js';
import type { IdentityContext } from './context.js';
import { workTable } from './sql.js';

/** Safety net: O(log² n) rounds are proven; this many means a bug, not a big graph. */
const MAX_ROUNDS = 200;

/** Rows of edges that keep the graph from being a set of stars (0 when converged). */
async function nonStarEdges(ctx: IdentityContext, edges: RelationRef): Promise<number> {
  const e = ctx.q(edges);
  return ctx.count(
    `SELECT (SELECT count(*) FROM ${e}) - (SELECT count(DISTINCT b) FROM ${e})
      + (SELECT count(*) FROM ${e} x WHERE EXISTS (SELECT 1 FROM ${e} y WHERE y.b = x.a)) AS n`,
  );
}

/** The work tables connectedComponents writes under `prefix`, for dropping them once read. */
export function componentWork(prefix: string): string[] {
  return [`${prefix}_cur`, `${prefix}_large`, `${prefix}_map`];
}

/**
 * Components of the graph in `edges` (columns a < b, BIGINT). Writes work table `<prefix>_map`
 * (node, root) for every node on an edge, root = the component's smallest node. Returns the
 * map and the number of rounds run.
 */
export async function connectedComponents(
  ctx: IdentityContext,
  edges: RelationRef,
  prefix: string,
  onRound?: (round: number, changed: number) => void,
): Promise<{ map: RelationRef; rounds: number }> {
  let current = await workTable(
    ctx,
    `${prefix}_cur`,
    `SELECT DISTINCT a, b FROM ${ctx.q(edges)} WHERE a < b`,
  );
  let rounds = 0;
  for (;;) {
    const pending = await nonStarEdges(ctx, current);
    if (pending === 0) break;
    if (rounds >= MAX_ROUNDS) throw new Error(`identity components did not converge in ${MAX_ROUNDS} rounds`);
    rounds++;
    const cur = ctx.q(current);
    // large-star: every edge (a, b) becomes (m(a), b), m(a) = min of a and a's smaller neighbours
    const large = await workTable(
      ctx,
      `${prefix}_large`,
      `SELECT DISTINCT coalesce(m.mu, e.a) AS a, e.b AS b FROM ${cur} e
       LEFT JOIN (SELECT b AS u, min(a) AS mu FROM ${cur} GROUP BY b) m ON m.u = e.a`,
    );
    const lg = ctx.q(large);
    // small-star: u and its smaller neighbours all link to m(u), the smallest of them
    current = await workTable(
      ctx,
      `${prefix}_cur`,
      `WITH m AS (SELECT b AS u, min(a) AS mu FROM ${lg} GROUP BY b)
       SELECT DISTINCT a, b FROM (
         SELECT m.mu AS a, e.a AS b FROM ${lg} e JOIN m ON m.u = e.b WHERE e.a <> m.mu
         UNION ALL SELECT mu AS a, u AS b FROM m) s`,
    );
    onRound?.(rounds, pending);
  }
  const cur = ctx.q(current);
  const map = await workTable(
    ctx,
    `${prefix}_map`,
    `SELECT b AS node, a AS root FROM ${cur} UNION ALL SELECT DISTINCT a AS node, a AS root FROM ${cur}`,
  );
  return { map, rounds };
}
