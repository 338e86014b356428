/**
 * The overview: what the last build left per stage (models, identity, profiles, audiences, with
 * row counts and the audiences' build time), every sync's health, failures first, and the
 * collector's event throughput when its tables exist.
 */
import { readAudienceState } from '../../audiences/state.js';
import { relationKind } from '../../build/relations.js';
import { modelRelation } from '../../compiler/relation.js';
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { syncHealth } from './syncs-data.js';
import { eventThroughput } from './throughput-data.js';

/** One build stage as the overview shows it. */
export interface StageStatus {
  stage: 'models' | 'identity' | 'profiles' | 'audiences';
  /** built: everything it writes exists; partial: some does; missing: nothing (never built). */
  status: 'built' | 'partial' | 'missing';
  detail: string;
  built_at: string | null;
}

/** The overview page's data. */
export async function overview(project: Project, warehouse: Warehouse): Promise<unknown> {
  return {
    project: project.config.name,
    warehouse: project.config.warehouse.type,
    stages: await stages(project, warehouse),
    syncs: await syncHealth(project, warehouse),
    events: await eventThroughput(project, warehouse),
  };
}

async function stages(project: Project, warehouse: Warehouse): Promise<StageStatus[]> {
  const d = warehouse.dialect;
  const schema = project.config.schema;
  const count = async (name: string) =>
    (await relationKind(warehouse, { schema, name }))
      ? Number((await warehouse.query(`SELECT count(*) AS n FROM ${d.qualify({ schema, name })}`))[0]?.n ?? 0)
      : undefined;
  const out: StageStatus[] = [];
  const models = project.models.filter((m) => m.config.enabled);
  let present = 0;
  for (const model of models) if (await relationKind(warehouse, modelRelation(model, schema))) present++;
  out.push({
    stage: 'models',
    status: present === models.length ? 'built' : present === 0 ? 'missing' : 'partial',
    detail: `${present} of ${models.length} models in the warehouse`,
    built_at: null,
  });
  if (project.identity) {
    const ids = await count('identity_map');
    out.push({
      stage: 'identity',
      status: ids === undefined ? 'missing' : 'built',
      detail: ids === undefined ? 'not built: run `weft build`' : `${ids} identifiers`,
      built_at: null,
    });
  }
  if (project.profiles) {
    const profiles = await count('profiles');
    out.push({
      stage: 'profiles',
      status: profiles === undefined ? 'missing' : 'built',
      detail: profiles === undefined ? 'not built: run `weft build`' : `${profiles} profiles`,
      built_at: null,
    });
  }
  if (project.audiences.length > 0) {
    const state = await readAudienceState(warehouse, project);
    const built = project.audiences.filter((a) => state.has(a.value.name)).length;
    const last = [...state.values()].map((s) => s.built_at.getTime()).sort((a, b) => b - a)[0];
    out.push({
      stage: 'audiences',
      status: built === project.audiences.length ? 'built' : built === 0 ? 'missing' : 'partial',
      detail: `${built} of ${project.audiences.length} audiences built`,
      built_at: last === undefined ? null : new Date(last).toISOString(),
    });
  }
  return out;
}
