/**
 * Compiles a project's models for one dialect: renders every enabled model (full-refresh
 * form, `is_incremental` false), records its dependencies and orders the DAG.
 */
import type { Materialization, ModelConfig, ModelDef, Project } from '../config/types.js';
import type { Dialect, RelationRef } from '../warehouse/types.js';
import { buildDag, type ModelDag, topologicalOrder } from './dag.js';
import { CompileError, type CompileIssue } from './errors.js';
import { modelRelation } from './relation.js';
import { type RenderScope, renderModel } from './render.js';

/** One compiled model. */
export interface CompiledModel {
  name: string;
  /** Project-relative path of the model file. */
  path: string;
  relation: RelationRef;
  materialized: Materialization;
  unique_key?: string[];
  config: ModelConfig;
  /** The unrendered SQL, as in the file. */
  raw_sql: string;
  /** Rendered SQL with `is_incremental` false (what a full build runs). */
  sql: string;
  /** Models (by name) and source tables (`source.table`) this model reads, sorted. */
  depends_on: { models: string[]; sources: string[] };
}

/** A declared source table. */
export interface CompiledSource {
  /** `shop.orders`. */
  name: string;
  source: string;
  table: string;
  relation: RelationRef;
  description?: string;
}

/** Everything `weft compile` produces, and what `weft build` runs. */
export interface CompiledProject {
  project: string;
  dialect: string;
  /** Enabled models, in build order. */
  models: CompiledModel[];
  /** Model names in build order (parents first, ties by name). */
  order: string[];
  sources: CompiledSource[];
  dag: ModelDag;
  /** The vars the models were rendered with (project vars merged with overrides). */
  vars: Record<string, unknown>;
}

/** Options for `compileProject`. */
export interface CompileOptions {
  /** Overrides for `weft.yml` vars. */
  vars?: Record<string, unknown>;
}

/** The helpers' view of `project` for `dialect`: enabled models, sources, merged vars. */
export function renderScopeFor(
  project: Project,
  dialect: Dialect,
  vars?: Record<string, unknown>,
): RenderScope {
  const enabled = project.models.filter((m) => m.config.enabled);
  return {
    dialect,
    projectSchema: project.config.schema,
    models: new Map(enabled.map((m) => [m.name, m])),
    disabledModels: new Set(project.models.filter((m) => !m.config.enabled).map((m) => m.name)),
    sources: project.sources,
    vars: { ...project.config.vars, ...vars },
  };
}

/** Compiles every enabled model. Throws one `CompileError` listing all problems found. */
export function compileProject(
  project: Project,
  dialect: Dialect,
  options: CompileOptions = {},
): CompiledProject {
  const scope = renderScopeFor(project, dialect, options.vars);
  const issues: CompileIssue[] = duplicateNameIssues(project.models);
  const compiled = new Map<string, CompiledModel>();
  for (const model of scope.models.values()) {
    try {
      compiled.set(model.name, compileModel(model, scope));
    } catch (error) {
      if (!(error instanceof CompileError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new CompileError(issues);

  const dag = buildDag(
    [...compiled.values()].map((m) => ({ name: m.name, path: m.path, refs: m.depends_on.models })),
  );
  const order = topologicalOrder(dag);
  return {
    project: project.config.name,
    dialect: dialect.name,
    models: order.map((name) => compiled.get(name)!),
    order,
    sources: project.sources
      .flatMap((source) =>
        source.tables.map((table) => ({
          name: `${source.name}.${table.name}`,
          source: source.name,
          table: table.name,
          relation: { schema: table.schema ?? source.schema, name: table.identifier },
          ...(table.description === undefined ? {} : { description: table.description }),
        })),
      )
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    dag,
    vars: { ...scope.vars },
  };
}

function compileModel(model: ModelDef, scope: RenderScope): CompiledModel {
  const rendered = renderModel(model, scope, { isIncremental: false });
  // Refs inside `{{#if is_incremental}}` are dependencies too: the incremental run reads them.
  const incremental =
    model.config.materialized === 'incremental'
      ? renderModel(model, scope, { isIncremental: true })
      : rendered;
  const sources = [...rendered.sources, ...incremental.sources].map((s) => `${s.source}.${s.table}`);
  return {
    name: model.name,
    path: model.path,
    relation: modelRelation(model, scope.projectSchema),
    materialized: model.config.materialized,
    ...(model.config.unique_key === undefined ? {} : { unique_key: model.config.unique_key }),
    config: model.config,
    raw_sql: model.sql,
    sql: rendered.sql,
    depends_on: {
      models: [...new Set([...rendered.refs, ...incremental.refs])].sort(),
      sources: [...new Set(sources)].sort(),
    },
  };
}

/** Two model files with one name would write the same relation. */
function duplicateNameIssues(models: readonly ModelDef[]): CompileIssue[] {
  const firstPath = new Map<string, string>();
  const issues: CompileIssue[] = [];
  for (const model of models) {
    const earlier = firstPath.get(model.name);
    if (earlier === undefined) firstPath.set(model.name, model.path);
    else issues.push({ file: model.path, message: `model name '${model.name}' is also used by ${earlier}` });
  }
  return issues;
}
