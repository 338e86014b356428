/**
 * One lineage node's details (the panel the lineage graph opens): what it is and where it lives
 * (file, relation, columns as the warehouse has them, rows), its last build or run, what feeds it
 * and what reads it (the syncs using it among them), and the console page it has, if any.
 */
import { readAudienceState } from '../../audiences/state.js';
import { relationColumns, relationKind } from '../../build/relations.js';
import { modelRelation } from '../../compiler/relation.js';
import type { Project } from '../../config/types.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import { sourceRelation } from '../../sync/resolve.js';
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import { ConsoleError } from './context.js';
import { type LineageNode, lineage } from './lineage-data.js';
import { syncHealth } from './syncs-data.js';

/** A node's details. */
export interface NodeDetail {
  node: LineageNode;
  /** Label → value lines (file, materialization, connection, last build …). */
  facts: Array<[string, string]>;
  /** The warehouse relation, when the node is one: its columns and rows (tables only; null for a view). */
  relation?: {
    name: string;
    exists: boolean;
    rows: number | null;
    columns: Array<{ name: string; type: string }>;
  };
  upstream: LineageNode[];
  downstream: LineageNode[];
  /** The syncs that read this node, directly or through what it feeds. */
  syncs: Array<{ name: string; status: string | null; started_at: string | null }>;
}

/** The details of the node `id` (as the lineage graph names it). */
export async function lineageDetail(project: Project, warehouse: Warehouse, id: string): Promise<NodeDetail> {
  const graph = lineage(project);
  const node = graph.nodes.find((n) => n.id === id);
  if (!node) throw new ConsoleError(404, `no lineage node '${id}'`);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const upstream = graph.edges.filter(([, b]) => b === id).map(([a]) => byId.get(a) as LineageNode);
  const downstream = graph.edges.filter(([a]) => a === id).map(([, b]) => byId.get(b) as LineageNode);
  // Syncs reachable downstream (a source feeds a model that feeds a sync …).
  const reached = new Set<string>();
  const queue = [id];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    for (const [a, b] of graph.edges)
      if (a === at && !reached.has(b)) {
        reached.add(b);
        queue.push(b);
      }
  }
  const health = await syncHealth(project, warehouse);
  const syncs = health
    .filter((s) => reached.has(`sync:${s.name}`) || id === `sync:${s.name}`)
    .map((s) => ({
      name: s.name,
      status: s.last ? String(s.last.status) : null,
      started_at: s.last?.started_at ? String(s.last.started_at) : null,
    }));
  const facts: Array<[string, string]> = [];
  let relation: RelationRef | undefined;
  const [kind, rest = ''] = id.includes(':')
    ? [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)]
    : [id];
  if (kind === 'source') {
    relation = sourceRelation(project, rest);
    const [sourceName, tableName] = rest.split('.');
    const table = project.sources
      .find((s) => s.name === sourceName)
      ?.tables.find((t) => t.name === tableName);
    if (table?.description) facts.push(['description', table.description]);
    if (table?.files) facts.push(['made from files', JSON.stringify(jsonValue(table.files))]);
  } else if (kind === 'model') {
    const model = project.models.find((m) => m.name === rest);
    if (model) {
      relation = modelRelation(model, project.config.schema);
      facts.push(['SQL', model.path], ['materialized', String(model.config.materialized ?? 'view')]);
    }
  } else if (kind === 'identity') {
    relation = { schema: project.config.schema, name: 'identity_map' };
    facts.push(['file', 'models/identity.yml']);
    facts.push(['id types', Object.keys(project.identity?.id_types ?? {}).join(', ')]);
    facts.push(['sources', (project.identity?.sources ?? []).map((s) => s.from).join(', ')]);
  } else if (kind === 'profiles') {
    relation = { schema: project.config.schema, name: 'profiles' };
    facts.push(
      ['file', 'models/profiles.yml'],
      ['traits', String(Object.keys(project.profiles?.traits ?? {}).length)],
    );
  } else if (kind === 'audience') {
    const audience = project.audiences.find((a) => a.value.name === rest);
    relation = { schema: project.config.schema, name: `audience_${rest}` };
    if (audience) facts.push(['file', audience.path]);
    const state = (await readAudienceState(warehouse, project)).get(rest);
    facts.push([
      'last build',
      state ? `${state.built_at.toISOString()} (${state.size} members)` : 'never built',
    ]);
  } else if (kind === 'sync') {
    const sync = project.syncs.find((s) => s.value.name === rest);
    if (sync) {
      facts.push(['file', sync.path], ['from', sync.value.from], ['mode', sync.value.mode]);
      facts.push(['connection', sync.value.connection]);
    }
  } else if (kind === 'destination') {
    const connection = project.config.connections[rest];
    // The type only: a connection's other settings may hold secrets.
    facts.push(['connection', rest], ['type', connection?.type ?? 'unknown']);
  }
  return {
    node,
    facts,
    ...(relation && { relation: await describe(warehouse, relation) }),
    upstream,
    downstream,
    syncs,
  };
}

async function describe(
  warehouse: Warehouse,
  ref: RelationRef,
): Promise<NonNullable<NodeDetail['relation']>> {
  const d = warehouse.dialect;
  const name = `${ref.schema}.${ref.name}`;
  const kind = await relationKind(warehouse, ref);
  if (!kind) return { name, exists: false, rows: null, columns: [] };
  const columns = (await relationColumns(warehouse, ref)).map((c) => ({
    name: c.name,
    type: String(c.type),
  }));
  // Rows of tables only: counting a view evaluates it (an audience view at 1M profiles takes seconds).
  if (kind !== 'table') return { name, exists: true, rows: null, columns };
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${d.qualify(ref)}`);
  return { name, exists: true, rows: Number(row?.n ?? 0), columns };
}
