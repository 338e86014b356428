/**
 * Audience references that teach: every trait, event source, exported column and audience an
 * audience file names must exist, and a problem names the closest matches and the file line.
 * Events must be identity sources, because their rows reach a profile through identity_rows.
 */
import { closestName } from '../util/suggest.js';
import type { ConfigIssue, PathSegment } from './issues.js';
import type { LoadedFile } from './load-yaml.js';
import type { AudienceConfig, Condition } from './schemas/audience.js';
import type { ModelDef, SourceDef } from './types.js';
import { issueAt } from './yaml.js';

/** What audience files may refer to. */
export interface AudienceRefContext {
  /** Trait names from models/profiles.yml; undefined when the project has no profiles.yml. */
  traits?: string[];
  /** Identity sources' `from` (models/identity.yml); undefined when there is no identity.yml. */
  identitySources?: string[];
  models: ModelDef[];
  sources: SourceDef[];
  audiences: LoadedFile<AudienceConfig>[];
}

const LISTED = 8;

/** The one name an audience cannot have: `audience_members` holds every audience's members. */
const RESERVED_NAME = 'members';

/** ` (did you mean 'x'?)`, else `; known <what>: a, b, c` (or a note that there are none). */
export function suggestion(name: string, known: string[], what: string): string {
  const close = closestName(name, known);
  if (close !== undefined) return ` (did you mean '${close}'?)`;
  if (known.length === 0) return `; there are no ${what}`;
  const shown = known.slice(0, LISTED).join(', ');
  return `; known ${what}: ${shown}${known.length > LISTED ? `, … (${known.length} in all)` : ''}`;
}

/** The view names a sync may read as `audience.<name>`: every audience and every split arm. */
export function audienceViewNames(audiences: LoadedFile<AudienceConfig>[]): string[] {
  return audiences.flatMap((file) => {
    const { name, splits } = file.data;
    return [name, ...Object.keys(splits ?? {}).map((arm) => `${name}_${arm}`)];
  });
}

/** Every broken reference in the audience files. */
export function checkAudienceReferences(ctx: AudienceRefContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // Conditions may name a whole audience or one of its split arms (`win_back_control`).
  const audienceNames = audienceViewNames(ctx.audiences);
  for (const file of ctx.audiences) {
    const data = file.data;
    const at = (path: PathSegment[], message: string) => issues.push(issueAt(file.yaml, path, message));
    if (data.name === RESERVED_NAME) {
      at(
        ['name'],
        `the audience name '${RESERVED_NAME}' is reserved: weft writes every audience's members to audience_${RESERVED_NAME}`,
      );
    }
    const trees: Array<[Condition | undefined, PathSegment[]]> = [
      [data.where, ['where']],
      [data.exclude, ['exclude']],
    ];
    for (const [tree, root] of trees) {
      if (!tree) continue;
      for (const { condition, path } of walkConditions(tree, root)) {
        if ('trait' in condition) {
          const problem = traitProblem(condition.trait, ctx.traits);
          if (problem) at([...path, 'trait'], problem);
        }
        if ('event' in condition) {
          const problem = eventProblem(condition.event, ctx);
          if (problem) at([...path, 'event'], problem);
        }
        if ('audience' in condition && !audienceNames.includes(condition.audience)) {
          at(
            [...path, 'audience'],
            `unknown audience '${condition.audience}'${suggestion(condition.audience, audienceNames, 'audiences')}`,
          );
        }
      }
    }
    data.columns.forEach((column, i) => {
      if (ctx.traits?.includes(column)) return;
      const why = ctx.traits
        ? `columns are traits from models/profiles.yml${suggestion(column, ctx.traits, 'traits')}`
        : 'columns are traits, and the project has no models/profiles.yml';
      at(['columns', i], `unknown column '${column}': ${why}`);
    });
  }
  return issues;
}

function traitProblem(trait: string, traits: string[] | undefined): string | undefined {
  if (traits === undefined) return `unknown trait '${trait}': the project has no models/profiles.yml`;
  if (traits.includes(trait)) return undefined;
  return `unknown trait '${trait}': not in models/profiles.yml${suggestion(trait, traits, 'traits')}`;
}

function eventProblem(event: string, ctx: AudienceRefContext): string | undefined {
  const identitySources = ctx.identitySources;
  if (identitySources?.includes(event)) return undefined;
  const rule = 'events must be identity sources (models/identity.yml), whose rows reach a profile';
  if (identitySources === undefined)
    return `event source '${event}': ${rule}, and the project has no models/identity.yml`;
  const kind = relationKind(event, ctx);
  if (kind === undefined)
    return `unknown event source '${event}': ${rule}${suggestion(event, identitySources, 'identity sources')}`;
  const readers = identitySources.filter((from) => readsSourceTable(from, event, ctx.models));
  const hint =
    readers.length > 0
      ? ` (${readers.map((r) => `'${r}'`).join(', ')} reads it and is one)`
      : suggestion(event, identitySources, 'identity sources');
  return `${kind} '${event}' is not an identity source: ${rule}${hint}`;
}

/** 'model' / 'source table' when `name` is one of the project's, else undefined. */
function relationKind(name: string, ctx: AudienceRefContext): string | undefined {
  if (ctx.models.some((m) => m.name === name)) return 'model';
  const [source, table] = name.split('.');
  const found = ctx.sources.find((s) => s.name === source)?.tables.some((t) => t.name === table);
  return found ? 'source table' : undefined;
}

/** Whether model `model`'s SQL reads `source.table` through `{{source 'source' 'table'}}`. */
function readsSourceTable(model: string, sourceTable: string, models: ModelDef[]): boolean {
  const [source, table] = sourceTable.split('.');
  const sql = models.find((m) => m.name === model)?.sql;
  if (!sql || !source || !table) return false;
  const quoted = (s: string) => `['"]${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`;
  return new RegExp(`\\{\\{\\s*source\\s+${quoted(source)}\\s+${quoted(table)}`).test(sql);
}

/** Every node of a condition tree with its path. */
export function* walkConditions(
  condition: Condition,
  path: PathSegment[],
): Generator<{ condition: Condition; path: PathSegment[] }> {
  yield { condition, path };
  if ('all' in condition)
    for (const [i, c] of condition.all.entries()) yield* walkConditions(c, [...path, 'all', i]);
  if ('any' in condition)
    for (const [i, c] of condition.any.entries()) yield* walkConditions(c, [...path, 'any', i]);
  if ('not' in condition) yield* walkConditions(condition.not, [...path, 'not']);
}
