/**
 * Build before sync, only what changed: the models and stages the due syncs read are
 * fingerprinted, compared with `build_state`, and the differing ones are built by one
 * buildProject call (shared by every sync due in the tick). A sync whose inputs failed to build
 * is reported with the reason, and must not push.
 */
import { buildProject } from '../../build/build.js';
import { STAGE_NAMES } from '../../build/stages.js';
import type { BuildResult } from '../../build/types.js';
import { type CompiledProject, compileProject } from '../../compiler/compile.js';
import type { Project, SyncConfig } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { fingerprintNodes } from './fingerprint.js';
import {
  BUILD_STAGES,
  type BuildGraph,
  type BuildStage,
  buildGraph,
  nodeForFrom,
  upstream,
} from './graph.js';
import { readBuildState, recordBuilt } from './state.js';

/** What the pre-sync build did. */
export interface ChangedBuild {
  /** Node ids that were (re)built successfully, in build order. */
  built: string[];
  /** Sync name → why it cannot run (something it reads failed to build). */
  failures: Map<string, string>;
  ms: number;
}

/** Build progress for the log. */
export type ChangedBuildEvent =
  | { type: 'building'; nodes: string[]; syncs: string[] }
  | { type: 'built'; built: string[]; failed: string[]; ms: number };

/** Builds what the `syncs` read and what changed since the last build. */
export async function buildWhatChanged(
  project: Project,
  warehouse: Warehouse,
  syncs: SyncConfig[],
  options: { onEvent?: (event: ChangedBuildEvent) => void } = {},
): Promise<ChangedBuild> {
  const started = Date.now();
  const none = (failures = new Map<string, string>()): ChangedBuild => ({
    built: [],
    failures,
    ms: Date.now() - started,
  });
  let compiled: CompiledProject;
  try {
    compiled = compileProject(project, warehouse.dialect);
  } catch (error) {
    const reason = `build failed: the models do not compile: ${firstLine(error)}`;
    return none(new Map(syncs.filter((s) => !readsSourceTable(project, s)).map((s) => [s.name, reason])));
  }
  const stages = BUILD_STAGES.filter((s) => (STAGE_NAMES as readonly string[]).includes(s));
  const graph = buildGraph(project, compiled, stages);
  const needs = new Map(syncs.map((s) => [s.name, upstream(graph, [nodeForFrom(graph, s.from) ?? ''])]));
  const needed = new Set([...needs.values()].flatMap((ids) => [...ids]).filter((id) => graph.has(id)));
  const prints = await fingerprintNodes(graph, needed, { project, compiled, warehouse });
  const stored = await readBuildState(warehouse, project.config.state_schema);
  const changed = [...prints].filter(([id, print]) => !id.startsWith('source:') && stored.get(id) !== print);
  if (changed.length === 0) return none();

  const nodes = changed.map(([id]) => id);
  const waiting = [...needs].filter(([, ids]) => nodes.some((id) => ids.has(id))).map(([sync]) => sync);
  options.onEvent?.({ type: 'building', nodes, syncs: waiting });
  const failedNodes = new Map<string, string>();
  try {
    const result = await buildProject(project, warehouse, { select: selection(graph, nodes) });
    for (const id of nodes) {
      const problem = nodeProblem(graph, result, id);
      if (problem) failedNodes.set(id, problem);
    }
  } catch (error) {
    for (const id of nodes) failedNodes.set(id, firstLine(error));
  }
  const built = nodes.filter((id) => !failedNodes.has(id));
  await recordBuilt(
    warehouse,
    project.config.state_schema,
    new Map(built.map((id) => [id, prints.get(id)!])),
    new Date(),
  );
  const failures = new Map<string, string>();
  for (const [sync, ids] of needs) {
    const failed = nodes.find((id) => ids.has(id) && failedNodes.has(id));
    if (failed) failures.set(sync, `build failed: ${failedNodes.get(failed)}`);
  }
  const ms = Date.now() - started;
  options.onEvent?.({ type: 'built', built, failed: [...failedNodes.keys()], ms });
  return { built, failures, ms };
}

/** buildProject's `select`: model names and stage names. */
function selection(graph: BuildGraph, ids: string[]): string {
  return ids.map((id) => graph.get(id)!.name).join(' ');
}

/** Why a node did not build in `result`, or undefined when it did. */
function nodeProblem(graph: BuildGraph, result: BuildResult, id: string): string | undefined {
  const node = graph.get(id)!;
  if (node.kind === 'model') {
    const model = result.models.find((m) => m.name === node.name);
    if (!model) return `model ${node.name} was not built`;
    if (model.status === 'success') return undefined;
    return `model ${node.name} (${model.path}) ${model.status === 'error' ? `failed: ${model.error}` : `skipped: ${model.skipped_because}`}`;
  }
  const stage = (
    result as unknown as Record<BuildStage, { status: string; error?: string; skipped_because?: string }>
  )[node.name as BuildStage];
  if (!stage) return `stage ${node.name} was not built`;
  if (stage.status === 'success') return undefined;
  return `${node.name} ${stage.status === 'error' ? `failed: ${stage.error}` : `skipped: ${stage.skipped_because}`}`;
}

/** A sync reading a declared source table needs no build. */
function readsSourceTable(project: Project, sync: SyncConfig): boolean {
  const [source, table] = sync.from.split('.');
  return project.sources.some((s) => s.name === source && s.tables.some((t) => t.name === table));
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
