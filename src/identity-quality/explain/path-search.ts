/**
 * Breadth-first search for the shortest evidence path between two identifiers over
 * identity_edges, fetching one level of neighbours per SQL query, within fixed bounds.
 */
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import type { EvidenceHop, IdentifierRef } from './types.js';

/** Bounds of one search. */
export interface SearchLimits {
  /** Longest path looked for, in hops. */
  maxHops: number;
  /** Identifiers visited before giving up. */
  maxNodes: number;
}

/** The path found, `none` when the neighbourhood was exhausted, `limit` when a bound stopped it. */
export type SearchOutcome = { status: 'found'; path: EvidenceHop[] } | { status: 'none' | 'limit' };

const FRONTIER_CHUNK = 500;
const key = (id: IdentifierRef) => `${id.type}\u0000${id.value}`;

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

async function edgesTouching(
  warehouse: Warehouse,
  edges: RelationRef,
  frontier: IdentifierRef[],
  includeUnused: boolean,
): Promise<EvidenceHop[]> {
  const d = warehouse.dialect;
  const out: EvidenceHop[] = [];
  for (let i = 0; i < frontier.length; i += FRONTIER_CHUNK) {
    const values = frontier
      .slice(i, i + FRONTIER_CHUNK)
      .map((id) => `(${d.literal(id.type)}, ${d.literal(id.value)})`)
      .join(', ');
    const used = includeUnused ? '' : 'AND e.used_for_merge';
    // Two equi-joins (one per edge end) rather than one OR join, so the engine can hash them.
    const rows = await warehouse.query(
      `WITH f(t, v) AS (VALUES ${values})
       SELECT e.* FROM ${d.qualify(edges)} AS e JOIN f ON e.a_type = f.t AND e.a_value = f.v WHERE TRUE ${used}
       UNION
       SELECT e.* FROM ${d.qualify(edges)} AS e JOIN f ON e.b_type = f.t AND e.b_value = f.v WHERE TRUE ${used}
       ORDER BY used_for_merge DESC, row_count DESC, first_seen_at, source, row_key, a_type, a_value, b_type, b_value`,
    );
    for (const r of rows) {
      out.push({
        from: { type: String(r.a_type), value: String(r.a_value) },
        to: { type: String(r.b_type), value: String(r.b_value) },
        source: String(r.source),
        row_key: String(r.row_key),
        first_seen_at: iso(r.first_seen_at),
        last_seen_at: iso(r.last_seen_at),
        row_count: Number(r.row_count ?? 0),
        used_for_merge: Boolean(r.used_for_merge),
        unused_reason:
          r.unused_reason === null || r.unused_reason === undefined ? null : String(r.unused_reason),
      });
    }
  }
  return out;
}

/**
 * The shortest path from `start` to `goal` through `edges` (only used_for_merge edges unless
 * `includeUnused`). Among equally short paths, used edges with the most rows are preferred.
 */
export async function shortestEvidencePath(
  warehouse: Warehouse,
  edges: RelationRef,
  start: IdentifierRef,
  goal: IdentifierRef,
  options: SearchLimits & { includeUnused: boolean },
): Promise<SearchOutcome> {
  const reachedBy = new Map<string, { prev: IdentifierRef; hop: EvidenceHop } | null>([[key(start), null]]);
  let frontier = [start];
  for (let depth = 0; depth < options.maxHops && frontier.length > 0; depth++) {
    const next: IdentifierRef[] = [];
    const inFrontier = new Set(frontier.map(key));
    for (const edge of await edgesTouching(warehouse, edges, frontier, options.includeUnused)) {
      for (const [here, there] of [
        [edge.from, edge.to],
        [edge.to, edge.from],
      ] as const) {
        if (!inFrontier.has(key(here)) || reachedBy.has(key(there))) continue;
        reachedBy.set(key(there), { prev: here, hop: { ...edge, from: here, to: there } });
        if (key(there) === key(goal)) return { status: 'found', path: pathTo(reachedBy, goal) };
        next.push(there);
      }
    }
    if (reachedBy.size > options.maxNodes) return { status: 'limit' };
    frontier = next;
  }
  return { status: frontier.length > 0 ? 'limit' : 'none' };
}

function pathTo(
  reachedBy: Map<string, { prev: IdentifierRef; hop: EvidenceHop } | null>,
  goal: IdentifierRef,
): EvidenceHop[] {
  const path: EvidenceHop[] = [];
  for (let step = reachedBy.get(key(goal)); step; step = reachedBy.get(key(step.prev)))
    path.unshift(step.hop);
  return path;
}
