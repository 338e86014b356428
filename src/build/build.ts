/**
 * `weft build`: compiles the project for the warehouse's dialect and materializes the selected
 * models in DAG order, then runs the identity and profiles stages (src/build/stages.ts). A failing model is recorded with its error; its descendants are skipped
 * and every other model still builds.
 */
import { type CompiledModel, compileProject, renderScopeFor } from '../compiler/compile.js';
import { renderModel } from '../compiler/render.js';
import { selectModels } from '../compiler/select.js';
import type { Project } from '../config/types.js';
import type { Warehouse } from '../warehouse/types.js';
import { prepareFileSources } from './file-sources.js';
import { materializeIncremental } from './materialize-incremental.js';
import { materializeTable } from './materialize-table.js';
import { type MaterializeOutcome, materializeView } from './materialize-view.js';
import { withMissingSourceHint } from './missing-source-hint.js';
import { runStages, splitSelect } from './stages.js';
import type { BuildOptions, BuildResult, ModelResult } from './types.js';

/**
 * Builds the project's models (or the `select`ed ones) in `warehouse`.
 * Throws a `CompileError` before touching the warehouse when the models do not compile.
 */
export async function buildProject(
  project: Project,
  warehouse: Warehouse,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const started = Date.now();
  const compiled = compileProject(project, warehouse.dialect, { vars: options.vars });
  // File sources (sources.yml `files:`) first: models, identity and syncs read them as tables.
  await prepareFileSources(project, warehouse);
  const select = splitSelect(options.select);
  const selected =
    select.models === undefined
      ? undefined
      : select.models === ''
        ? new Set<string>()
        : selectModels(compiled.dag, select.models);
  const models = compiled.models.filter((m) => selected === undefined || selected.has(m.name));
  const scope = renderScopeFor(project, warehouse.dialect, options.vars);
  const definitions = new Map(project.models.map((m) => [m.name, m]));
  /** Model name → the failed model that stops it (itself when it failed). */
  const blockedBy = new Map<string, CompiledModel>();
  const schemasReady = new Set<string>();
  const results: ModelResult[] = [];
  const emit = options.onEvent ?? (() => {});

  for (const [index, model] of models.entries()) {
    const total = models.length;
    const base = {
      name: model.name,
      path: model.path,
      relation: model.relation,
      materialized: model.materialized,
    };
    const failedParent = compiled.dag.parents.get(model.name)?.find((parent) => blockedBy.has(parent));
    if (failedParent !== undefined) {
      const root = blockedBy.get(failedParent)!;
      blockedBy.set(model.name, root);
      const result: ModelResult = {
        ...base,
        status: 'skipped',
        rows_written: null,
        rows_total: null,
        ms: 0,
        skipped_because: `depends on ${root.name} (${root.path}), which failed`,
      };
      results.push(result);
      emit({ type: 'model_done', name: model.name, result, index, total });
      continue;
    }

    emit({ type: 'model_start', ...base, index, total });
    const modelStarted = Date.now();
    let result: ModelResult;
    try {
      if (!schemasReady.has(model.relation.schema)) {
        await warehouse.execute(warehouse.dialect.createSchema(model.relation.schema));
        schemasReady.add(model.relation.schema);
      }
      const outcome = await materialize(warehouse, model, {
        fullRefresh: options.fullRefresh ?? false,
        renderIncremental: () =>
          renderModel(definitions.get(model.name)!, scope, { isIncremental: true }).sql,
      });
      result = { ...base, status: 'success', ...outcome, ms: Date.now() - modelStarted };
    } catch (error) {
      blockedBy.set(model.name, model);
      const message = withMissingSourceHint(project, error instanceof Error ? error.message : String(error));
      result = {
        ...base,
        status: 'error',
        rows_written: null,
        rows_total: null,
        ms: Date.now() - modelStarted,
        error: message,
      };
    }
    results.push(result);
    emit({ type: 'model_done', name: model.name, result, index, total });
  }

  const stages = await runStages(project, warehouse, {
    selected: select.stages?.size ? select.stages : select.models === undefined ? undefined : new Set(),
    failedModels: new Set(results.filter((r) => r.status !== 'success').map((r) => r.name)),
    fullRefresh: options.fullRefresh ?? false,
    onIdentityEvent: options.onIdentityEvent,
    onAudienceEvent: options.onAudienceEvent,
  });
  for (const stage of Object.values(stages)) {
    if (stage.error) stage.error = withMissingSourceHint(project, stage.error);
  }
  const failed =
    results.some((r) => r.status !== 'success') ||
    Object.values(stages).some((stage) => stage.status !== 'success');
  return { status: failed ? 'failed' : 'success', models: results, ...stages, ms: Date.now() - started };
}

function materialize(
  warehouse: Warehouse,
  model: CompiledModel,
  options: { fullRefresh: boolean; renderIncremental: () => string },
): Promise<MaterializeOutcome> {
  switch (model.materialized) {
    case 'view':
      return materializeView(warehouse, model);
    case 'table':
      return materializeTable(warehouse, model.relation, model.sql);
    case 'incremental':
      return materializeIncremental(warehouse, model, options);
  }
}
