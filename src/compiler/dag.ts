/**
 * The model DAG: nodes are models, edges run from a ref'd model (parent) to the model that
 * refs it (child). Orders are deterministic: ties are broken by name.
 */
import { CompileError } from './errors.js';

/** Parents and children per model name; every model has an entry in both maps. */
export interface ModelDag {
  /** Model name → its file path (for error messages). */
  paths: ReadonlyMap<string, string>;
  /** Model name → the models it refs, sorted. */
  parents: ReadonlyMap<string, readonly string[]>;
  /** Model name → the models that ref it, sorted. */
  children: ReadonlyMap<string, readonly string[]>;
}

/** Builds a DAG from each model's refs (refs to unknown models must be rejected before). */
export function buildDag(
  models: ReadonlyArray<{ name: string; path: string; refs: readonly string[] }>,
): ModelDag {
  const paths = new Map<string, string>();
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const model of models) {
    paths.set(model.name, model.path);
    parents.set(model.name, [...new Set(model.refs)].sort());
    children.set(model.name, []);
  }
  for (const model of models) {
    for (const parent of parents.get(model.name)!) children.get(parent)?.push(model.name);
  }
  for (const list of children.values()) list.sort();
  return { paths, parents, children };
}

/**
 * Models in build order: every model after its parents; among the ready ones, by name.
 * Throws a `CompileError` naming a cycle (with files) when there is one.
 */
export function topologicalOrder(dag: ModelDag): string[] {
  const waitingOn = new Map<string, number>();
  for (const [name, parents] of dag.parents) waitingOn.set(name, parents.length);
  const ready = [...waitingOn].filter(([, n]) => n === 0).map(([name]) => name);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort();
    const next = ready.shift()!;
    order.push(next);
    for (const child of dag.children.get(next) ?? []) {
      const left = waitingOn.get(child)! - 1;
      waitingOn.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (order.length < dag.parents.size) {
    const cycle = findCycle(dag, new Set(order));
    const text = cycle.map((name) => `${name} (${dag.paths.get(name)})`);
    throw new CompileError([{ file: dag.paths.get(cycle[0]!) ?? '', message: `cycle: ${text.join(' → ')}` }]);
  }
  return order;
}

/**
 * One cycle among the models not yet ordered, as a path that returns to its start
 * (`a → b → a`), starting from the smallest name in it so the message is stable.
 */
function findCycle(dag: ModelDag, ordered: ReadonlySet<string>): string[] {
  const remaining = [...dag.parents.keys()].filter((name) => !ordered.has(name)).sort();
  // Every remaining model has a remaining parent, so walking parents must revisit a model.
  const seenAt = new Map<string, number>();
  const walk: string[] = [];
  let current = remaining[0]!;
  while (!seenAt.has(current)) {
    seenAt.set(current, walk.length);
    walk.push(current);
    current = (dag.parents.get(current) ?? []).find((p) => !ordered.has(p))!;
  }
  // walk[seenAt..] follows child → parent; reverse it so arrows read "is ref'd by".
  const loop = walk.slice(seenAt.get(current)).reverse();
  const start = loop.indexOf([...loop].sort()[0]!);
  const rotated = [...loop.slice(start), ...loop.slice(0, start)];
  return [...rotated, rotated[0]!];
}

/** All ancestors (`up`) or descendants (`down`) of a model, excluding itself. */
export function relatives(dag: ModelDag, name: string, direction: 'up' | 'down'): Set<string> {
  const edges = direction === 'up' ? dag.parents : dag.children;
  const found = new Set<string>();
  const stack = [...(edges.get(name) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    stack.push(...(edges.get(next) ?? []));
  }
  return found;
}
