/**
 * Connected components by alternating large-star / small-star rounds (Kiveris et al. 2014) over
 * text node ids, in plain SQL. Used by the naive resolver and by the ground-truth clustering;
 * the real resolver has its own (ranked, incremental) implementation in src/identity.
 */
import type { RelationRef, Warehouse } from '../warehouse/types.js';

/** Rounds after which a non-converging run is an error (O(log² n) in theory, < 30 in practice). */
const MAX_ROUNDS = 100;

/**
 * Reads undirected edges `(a, b)` from `edges` (a query) and writes `labels(node, label)`:
 * every node that appears in an edge, labelled with the smallest node of its component.
 * Scratch tables are named `${labels.name}_e*` in the labels' schema. Returns the round count.
 */
export async function connectedComponents(
  warehouse: Warehouse,
  edges: string,
  labels: RelationRef,
): Promise<number> {
  const d = warehouse.dialect;
  const scratch = (suffix: string): RelationRef => ({
    schema: labels.schema,
    name: `${labels.name}_${suffix}`,
  });
  const current = d.qualify(scratch('e'));
  const next = d.qualify(scratch('e_next'));
  await warehouse.execute(
    d.createTableAs(
      scratch('e'),
      `SELECT DISTINCT LEAST(a, b) AS lo, GREATEST(a, b) AS hi FROM (${edges}) AS input_edges
       WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b`,
    ),
  );
  let rounds = 0;
  while (!(await isStarForest(warehouse, current))) {
    if (++rounds > MAX_ROUNDS)
      throw new Error(`connected components did not converge in ${MAX_ROUNDS} rounds`);
    // Large star: every neighbour bigger than u is linked to the minimum of u's neighbourhood.
    await warehouse.execute(
      d.createTableAs(
        scratch('e_next'),
        `WITH nbr AS (SELECT lo AS u, hi AS v FROM ${current} UNION ALL SELECT hi AS u, lo AS v FROM ${current}),
         m AS (SELECT u, LEAST(u, MIN(v)) AS m FROM nbr GROUP BY u)
         SELECT DISTINCT m.m AS lo, nbr.v AS hi FROM nbr JOIN m ON nbr.u = m.u WHERE nbr.v > nbr.u`,
      ),
    );
    // Small star: u and its smaller neighbours are linked to the smallest of them.
    await warehouse.execute(
      d.createTableAs(
        scratch('e'),
        `WITH m AS (SELECT hi AS u, MIN(lo) AS m FROM ${next} GROUP BY hi)
         SELECT e.lo AS lo, e.hi AS hi FROM (
           SELECT m.m AS lo, x.lo AS hi FROM ${next} AS x JOIN m ON x.hi = m.u WHERE x.lo <> m.m
           UNION SELECT m AS lo, u AS hi FROM m) AS e`,
      ),
    );
  }
  await warehouse.execute(
    d.createTableAs(
      labels,
      `SELECT hi AS node, lo AS label FROM ${current} UNION SELECT lo, lo FROM ${current}`,
    ),
  );
  await warehouse.execute(d.dropRelation(scratch('e'), 'table'));
  await warehouse.execute(d.dropRelation(scratch('e_next'), 'table'));
  return rounds;
}

/** Converged: every edge is (root, member), no root is a member and each member has one root. */
async function isStarForest(warehouse: Warehouse, edges: string): Promise<boolean> {
  const rows = await warehouse.query<{ bad: number | bigint }>(
    `SELECT (SELECT COUNT(*) FROM ${edges} AS x JOIN ${edges} AS y ON x.lo = y.hi)
          + (SELECT COUNT(*) - COUNT(DISTINCT hi) FROM ${edges}) AS bad`,
  );
  return Number(rows[0]?.bad ?? 0) === 0;
}
