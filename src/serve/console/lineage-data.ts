/**
 * The lineage graph: sources → models → identity → profiles → audiences → syncs → destinations,
 * from the project's files (compiled models give their refs). Each node says which console page
 * it opens, if any.
 */
import { compileEach } from '../../audiences/compile.js';
import { compileProject } from '../../compiler/compile.js';
import type { Project } from '../../config/types.js';
import { getEngine } from '../../warehouse/registry.js';

/** A node of the lineage graph. */
export interface LineageNode {
  id: string;
  kind: 'source' | 'model' | 'identity' | 'profiles' | 'audience' | 'sync' | 'destination';
  label: string;
  /** The console route it opens (`#/…`), if it has a page. */
  link?: string;
}

/** The project's lineage. Edges are `[from id, to id]`. */
export function lineage(project: Project): { nodes: LineageNode[]; edges: Array<[string, string]> } {
  const nodes = new Map<string, LineageNode>();
  const edges: Array<[string, string]> = [];
  const add = (node: LineageNode) => nodes.set(node.id, nodes.get(node.id) ?? node);
  const dialect = getEngine(project.config.warehouse.type).dialect;
  for (const source of project.sources)
    for (const table of source.tables)
      add({
        id: `source:${source.name}.${table.name}`,
        kind: 'source',
        label: `${source.name}.${table.name}`,
      });
  const idOf = (from: string) => (nodes.has(`model:${from}`) ? `model:${from}` : `source:${from}`);
  try {
    const compiled = compileProject(project, dialect);
    for (const model of compiled.models) add({ id: `model:${model.name}`, kind: 'model', label: model.name });
    for (const model of compiled.models) {
      for (const parent of model.depends_on.models) edges.push([`model:${parent}`, `model:${model.name}`]);
      for (const source of model.depends_on.sources) edges.push([`source:${source}`, `model:${model.name}`]);
    }
  } catch {
    // A project that does not compile shows what it can: `weft validate` names the problem.
  }
  if (project.identity) {
    add({ id: 'identity', kind: 'identity', label: 'identity graph' });
    for (const source of project.identity.sources) edges.push([idOf(source.from), 'identity']);
  }
  if (project.profiles) {
    add({ id: 'profiles', kind: 'profiles', label: 'profiles', link: '#/profiles' });
    if (project.identity) edges.push(['identity', 'profiles']);
  }
  for (const entry of safeAudiences(project, dialect)) {
    add({
      id: `audience:${entry.name}`,
      kind: 'audience',
      label: entry.name,
      link: `#/audiences/${entry.name}`,
    });
    edges.push(
      project.profiles ? ['profiles', `audience:${entry.name}`] : ['identity', `audience:${entry.name}`],
    );
    for (const parent of entry.dependsOn) edges.push([`audience:${parent}`, `audience:${entry.name}`]);
  }
  for (const { value: sync } of project.syncs) {
    add({ id: `sync:${sync.name}`, kind: 'sync', label: sync.name, link: `#/syncs/${sync.name}` });
    const from = sync.from.startsWith('audience.')
      ? `audience:${sync.from.slice('audience.'.length)}`
      : sync.from === 'profiles'
        ? 'profiles'
        : idOf(sync.from);
    edges.push([from, `sync:${sync.name}`]);
    const type = project.config.connections[sync.connection]?.type ?? 'unknown';
    add({ id: `destination:${sync.connection}`, kind: 'destination', label: `${sync.connection} (${type})` });
    edges.push([`sync:${sync.name}`, `destination:${sync.connection}`]);
  }
  const known = edges.filter(([a, b]) => nodes.has(a) && nodes.has(b));
  return { nodes: [...nodes.values()], edges: [...new Map(known.map((e) => [e.join('>'), e])).values()] };
}

function safeAudiences(project: Project, dialect: ReturnType<typeof getEngine>['dialect']) {
  try {
    return compileEach(project, dialect);
  } catch {
    return project.audiences.map((a) => ({ name: a.value.name, dependsOn: [] as string[] }));
  }
}
