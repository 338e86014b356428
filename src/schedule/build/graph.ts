/**
 * What a sync depends on, as build nodes: source tables (never built, only fingerprinted), models,
 * and the identity / profiles / audiences stages. Edges come from the compiled models'
 * dependencies and the identity sources and trait `from`s.
 */
import type { CompiledProject } from '../../compiler/compile.js';
import type { Project } from '../../config/types.js';

/** The stages the scheduler can build, in build order. */
export const BUILD_STAGES = ['identity', 'profiles', 'audiences'] as const;
export type BuildStage = (typeof BUILD_STAGES)[number];

/** One node: `source:<src.table>`, `model:<name>` or `stage:<name>`. */
export interface BuildNode {
  id: string;
  kind: 'source' | 'model' | 'stage';
  /** The source table (`shop.orders`), model or stage name. */
  name: string;
  /** Node ids it reads. */
  inputs: string[];
}

/** Every node of the project, by id. */
export type BuildGraph = ReadonlyMap<string, BuildNode>;

/** The project's build graph (`stages` limits the stages to those buildProject knows). */
export function buildGraph(
  project: Project,
  compiled: CompiledProject,
  stages: readonly BuildStage[] = BUILD_STAGES,
): BuildGraph {
  const nodes = new Map<string, BuildNode>();
  const add = (kind: BuildNode['kind'], name: string, inputs: string[]) =>
    nodes.set(`${kind}:${name}`, { id: `${kind}:${name}`, kind, name, inputs: [...new Set(inputs)].sort() });
  const models = new Set(compiled.models.map((m) => m.name));
  const relation = (from: string) => (models.has(from) ? `model:${from}` : `source:${from}`);
  for (const source of compiled.sources) add('source', source.name, []);
  for (const model of compiled.models) {
    add('model', model.name, [
      ...model.depends_on.models.map((m) => `model:${m}`),
      ...model.depends_on.sources.map((s) => `source:${s}`),
    ]);
  }
  if (project.identity && stages.includes('identity')) {
    add(
      'stage',
      'identity',
      project.identity.sources.map((s) => relation(s.from)),
    );
  }
  if (project.profiles && stages.includes('profiles')) {
    const froms = Object.values(project.profiles.traits).flatMap((t) =>
      Array.isArray(t.from) ? t.from : [t.from],
    );
    add('stage', 'profiles', [
      ...(nodes.has('stage:identity') ? ['stage:identity'] : []),
      ...froms.map(relation),
    ]);
  }
  if (project.audiences.length > 0 && stages.includes('audiences')) {
    add(
      'stage',
      'audiences',
      ['stage:identity', 'stage:profiles'].filter((id) => nodes.has(id)),
    );
  }
  // An input that is not declared (e.g. a source table read without sources.yml) is a leaf.
  for (const node of [...nodes.values()])
    for (const input of node.inputs)
      if (!nodes.has(input)) add('source', input.slice(input.indexOf(':') + 1), []);
  return nodes;
}

/**
 * The node a sync's `from` reads: `audience.X` → the audiences stage, `profiles` → the profiles
 * stage (unless a model has that name), else a model or source.
 */
export function nodeForFrom(graph: BuildGraph, from: string): string | undefined {
  if (from.startsWith('audience.')) return graph.has('stage:audiences') ? 'stage:audiences' : undefined;
  if (graph.has(`model:${from}`)) return `model:${from}`;
  if (from === 'profiles' && graph.has('stage:profiles')) return 'stage:profiles';
  return graph.has(`source:${from}`) ? `source:${from}` : undefined;
}

/** `ids` and everything they read, transitively. */
export function upstream(graph: BuildGraph, ids: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const input of graph.get(id)?.inputs ?? []) visit(input);
  };
  for (const id of ids) visit(id);
  return seen;
}

/** Node ids with every node after its inputs. */
export function inputsFirst(graph: BuildGraph, ids: Set<string>): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  const place = (id: string) => {
    if (placed.has(id) || !ids.has(id)) return;
    placed.add(id);
    for (const input of graph.get(id)?.inputs ?? []) place(input);
    order.push(id);
  };
  for (const id of [...ids].sort()) place(id);
  return order;
}
