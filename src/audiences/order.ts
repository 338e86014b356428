/**
 * Dependency order of audiences: an audience after the audiences it reads, ties in file
 * order. Audiences on a cycle (and those depending on one) cannot be ordered: each gets the
 * cycle, named by file, as its error.
 */

/** What ordering needs of an audience. */
export interface OrderNode {
  name: string;
  path: string;
  dependsOn: string[];
}

/** The orderable nodes in order, and an error message per audience that is on or behind a cycle. */
export function orderAudiences<T extends OrderNode>(
  nodes: T[],
): { ordered: T[]; cyclic: Map<string, string> } {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const placed = new Set<string>();
  const ordered: T[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const node of nodes) {
      if (placed.has(node.name)) continue;
      if (node.dependsOn.every((d) => placed.has(d) || !byName.has(d))) {
        placed.add(node.name);
        ordered.push(node);
        progress = true;
        break; // restart so ties keep file order
      }
    }
  }
  const cyclic = new Map<string, string>();
  for (const node of nodes) {
    if (placed.has(node.name)) continue;
    const cycle = findCycle(node.name, byName);
    const chain = cycle.map((name) => `${name} (${byName.get(name)?.path})`).join(' → ');
    cyclic.set(
      node.name,
      cycle.includes(node.name)
        ? `audiences depend on each other in a cycle: ${chain}`
        : `depends on a cycle of audiences: ${chain}`,
    );
  }
  return { ordered, cyclic };
}

/** A cycle reachable from `start`, as names with the first repeated at the end. */
function findCycle(start: string, byName: ReadonlyMap<string, OrderNode>): string[] {
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    const node = byName.get(name);
    if (!node) return undefined;
    path.push(name);
    onPath.add(name);
    for (const dep of node.dependsOn) {
      const found = visit(dep);
      if (found) return found;
    }
    path.pop();
    onPath.delete(name);
    return undefined;
  };
  return visit(start) ?? [start];
}
