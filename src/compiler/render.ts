/**
 * Renders one model's SQL template. `ref`, `source` and `var` are helpers of an isolated
 * handlebars environment; `ref` and `source` record what they were called with, which is how
 * the DAG is discovered (no regex over the SQL).
 */
import Handlebars from 'handlebars';
import type { ModelDef, SourceDef } from '../config/types.js';
import { didYouMean } from '../util/suggest.js';
import type { Dialect } from '../warehouse/types.js';
import { blankConfigBlock, tidyCompiledSql } from './config-block.js';
import { translateDbtSyntax } from './dbt-syntax.js';
import { CompileError, type CompileIssue } from './errors.js';
import { formatVar, stringArgs } from './helper-args.js';
import { modelRelation } from './relation.js';
import { templateErrorIssue } from './template-errors.js';

/** Everything a model template can refer to. */
export interface RenderScope {
  dialect: Dialect;
  /** The project's default schema for models. */
  projectSchema: string;
  /** Enabled models by name. */
  models: ReadonlyMap<string, ModelDef>;
  /** Names of models that exist but are disabled (a ref to one is an error). */
  disabledModels?: ReadonlySet<string>;
  sources: readonly SourceDef[];
  /** Project vars, already merged with any overrides. */
  vars: Readonly<Record<string, unknown>>;
}

/** A source table a model reads, as named in sources.yml. */
export interface SourceUse {
  source: string;
  table: string;
}

/** A rendered model and what it depends on (deduplicated, sorted). */
export interface RenderedModel {
  sql: string;
  refs: string[];
  sources: SourceUse[];
}

/** The names helpers and templates may use, besides handlebars' built-in block helpers. */
const KNOWN_HELPERS = { ref: true, source: true, var: true } as const;

/**
 * The template's root context. `{{this}}` compiles to the context itself, so it stringifies
 * to the model's own relation; `is_incremental` is an own property for `{{#if}}`.
 */
class ModelContext {
  constructor(
    readonly is_incremental: boolean,
    private readonly self: string,
  ) {}

  toString(): string {
    return this.self;
  }
}

/** Renders `model` within `scope`. Throws a `CompileError` listing every problem in the file. */
export function renderModel(
  model: ModelDef,
  scope: RenderScope,
  options: { isIncremental: boolean },
): RenderedModel {
  const issues: CompileIssue[] = [];
  const refs = new Set<string>();
  const sourceUses = new Map<string, SourceUse>();
  const report = (message: string): string => {
    issues.push({ file: model.path, message });
    return '/* error */';
  };

  const env = Handlebars.create();
  env.registerHelper('ref', (...args: unknown[]) => {
    const [name] = stringArgs('ref', args, 1, 1, report);
    if (name === undefined) return '/* error */';
    const target = scope.models.get(name);
    if (target === undefined) {
      const why = scope.disabledModels?.has(name)
        ? 'is disabled (enabled: false)'
        : `is not a model${didYouMean(name, scope.models.keys())}`;
      return report(`ref '${name}' ${why}`);
    }
    refs.add(name);
    return scope.dialect.qualify(modelRelation(target, scope.projectSchema));
  });
  env.registerHelper('source', (...args: unknown[]) => {
    const [sourceName, tableName] = stringArgs('source', args, 2, 2, report);
    if (sourceName === undefined || tableName === undefined) return '/* error */';
    const source = scope.sources.find((s) => s.name === sourceName);
    if (source === undefined) {
      const hint = didYouMean(
        sourceName,
        scope.sources.map((s) => s.name),
      );
      return report(`source '${sourceName}' is not declared in models/sources.yml${hint}`);
    }
    const table = source.tables.find((t) => t.name === tableName);
    if (table === undefined) {
      const hint = didYouMean(
        tableName,
        source.tables.map((t) => t.name),
      );
      return report(`source '${sourceName}' has no table '${tableName}'${hint}`);
    }
    sourceUses.set(`${sourceName}.${tableName}`, { source: sourceName, table: tableName });
    return scope.dialect.qualify({ schema: table.schema ?? source.schema, name: table.identifier });
  });
  env.registerHelper('var', (...args: unknown[]) => {
    const [name, fallback] = stringArgs('var', args, 1, 2, report, true);
    if (name === undefined) return '/* error */';
    const value = Object.hasOwn(scope.vars, name) ? scope.vars[name] : fallback;
    if (value === undefined) {
      return report(
        `var '${name}' is not set in weft.yml vars and has no default${didYouMean(name, Object.keys(scope.vars))}`,
      );
    }
    return formatVar(value);
  });

  const self = scope.dialect.qualify(modelRelation(model, scope.projectSchema));
  // dbt's Jinja (ref(), source(), var(), is_incremental()…) becomes handlebars first.
  const translated = translateDbtSyntax(blankConfigBlock(model.sql), model.path);
  if (translated.issues.length > 0) throw new CompileError(translated.issues);
  let rendered = '';
  try {
    const template = env.compile(translated.sql, {
      noEscape: true,
      strict: true,
      knownHelpers: KNOWN_HELPERS,
      knownHelpersOnly: true,
    });
    rendered = template(new ModelContext(options.isIncremental, self));
  } catch (error) {
    issues.push(templateErrorIssue(model.path, error));
  }
  if (issues.length > 0) throw new CompileError(issues);
  return {
    sql: tidyCompiledSql(rendered),
    refs: [...refs].sort(),
    sources: [...sourceUses.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, use]) => use),
  };
}
