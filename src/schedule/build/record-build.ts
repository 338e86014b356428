/**
 * `weft build` tells the scheduler what it built: the fingerprints of the nodes scheduled syncs
 * read are taken before the build (the inputs as the build reads them) and recorded for the
 * nodes that built, so `weft schedule` after `weft build` rebuilds nothing that did not change
 * since. Fingerprinting hashes the source rows (~12 s for 32M rows), so a project without
 * scheduled syncs skips it.
 */
import { STAGE_NAMES } from '../../build/stages.js';
import type { BuildResult } from '../../build/types.js';
import { compileProject } from '../../compiler/compile.js';
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { ensureScheduleTables } from '../tables.js';
import { fingerprintNodes } from './fingerprint.js';
import { BUILD_STAGES, type BuildGraph, buildGraph, nodeForFrom, upstream } from './graph.js';
import { recordBuilt } from './state.js';

/** Records, after a build, the fingerprints of the nodes it built; returns their ids. */
export type BuildRecorder = (result: BuildResult) => Promise<string[]>;

/**
 * Fingerprints the project's nodes now and returns the recorder to call with the build's result.
 * When the models do not compile the build reports that itself: the recorder then records nothing.
 */
export async function fingerprintBeforeBuild(project: Project, warehouse: Warehouse): Promise<BuildRecorder> {
  const scheduled = project.syncs.filter((s) => s.value.schedule !== undefined);
  if (scheduled.length === 0) return async () => [];
  let graph: BuildGraph;
  let prints: Map<string, string>;
  try {
    const compiled = compileProject(project, warehouse.dialect);
    const stages = BUILD_STAGES.filter((s) => (STAGE_NAMES as readonly string[]).includes(s));
    graph = buildGraph(project, compiled, stages);
    const read = scheduled.map((s) => nodeForFrom(graph, s.value.from)).filter((id) => id !== undefined);
    const needed = new Set([...upstream(graph, read)].filter((id) => graph.has(id)));
    prints = await fingerprintNodes(graph, needed, { project, compiled, warehouse });
  } catch {
    return async () => [];
  }
  return async (result) => {
    const built = [...graph.values()].filter(
      (node) => prints.has(node.id) && builtIn(result, node.kind, node.name),
    );
    await ensureScheduleTables(warehouse, project.config.state_schema);
    await recordBuilt(
      warehouse,
      project.config.state_schema,
      new Map(built.map((node) => [node.id, prints.get(node.id) as string])),
      new Date(),
    );
    return built.map((node) => node.id);
  };
}

function builtIn(result: BuildResult, kind: string, name: string): boolean {
  if (kind === 'model') return result.models.some((m) => m.name === name && m.status === 'success');
  if (kind !== 'stage') return false;
  const stage = (result as unknown as Record<string, { status: string } | undefined>)[name];
  return stage?.status === 'success';
}
