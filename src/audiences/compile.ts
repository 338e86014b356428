/**
 * compileAudiences: each models/audiences/*.yml → the SELECT of view `audience_<name>`
 * (profile_id, the `columns` traits, `split` when split) and one SELECT per split arm, in
 * dependency order. All SQL goes through the dialect; see condition-sql.ts for the tree.
 */
import type { AudienceConfig, Project } from '../config/types.js';
import { profileTables } from '../profiles/build.js';
import type { Dialect, RelationRef } from '../warehouse/types.js';
import { resolveAsOf } from './as-of.js';
import {
  type ConditionParts,
  type ConditionScope,
  conditionSql,
  eventJoins,
  PROFILE_ALIAS,
} from './condition-sql.js';
import { AudienceError } from './errors.js';
import { audienceRelation, memberRelations, viewNameClashes } from './names.js';
import { orderAudiences } from './order.js';
import { renderAudienceSql } from './raw-sql.js';
import { bucketSql, SPLIT_COLUMN, splitArms, splitCaseSql } from './splits.js';

/** One split arm's view. */
export interface CompiledArm {
  name: string;
  percent: number;
  /** `audience_<audience>_<arm>`. */
  relation: RelationRef;
  /** SELECT of that arm's rows from the audience view. */
  sql: string;
}

/** One audience ready to be created as a view. */
export interface CompiledAudience {
  name: string;
  /** Project-relative path of the audience file. */
  path: string;
  /** `<schema>.audience_<name>`. */
  relation: RelationRef;
  /** The view's SELECT. */
  sql: string;
  /** Audiences (by name) this one reads, sorted. */
  dependsOn: string[];
  /** Output columns after profile_id: the `columns` traits, then `split` when split. */
  columns: string[];
  /** Split arms in the order written (empty without `splits`). */
  arms: CompiledArm[];
}

/** Options for compiling and building audiences. */
export interface AudienceOptions {
  /**
   * "Now" for relative dates. Undefined: resolveAsOf(project, process.env) (WEFT_AS_OF, then
   * weft.yml as_of); null: the warehouse's clock.
   */
  asOf?: Date | null;
}

/** An audience in dependency order: compiled, or why it cannot be. */
export interface AudienceEntry {
  name: string;
  path: string;
  dependsOn: string[];
  compiled?: CompiledAudience;
  error?: AudienceError;
}

/**
 * Every audience in dependency order (an audience after those it references). Throws one
 * AudienceError listing every problem (unknown trait, event or audience, cycles …).
 */
export function compileAudiences(
  project: Project,
  dialect: Dialect,
  options: AudienceOptions = {},
): CompiledAudience[] {
  const entries = compileEach(project, dialect, options);
  const errors = entries.flatMap((e) => (e.error ? [e.error.message] : []));
  if (errors.length > 0) throw new AudienceError(errors.join('\n'));
  return entries.map((e) => e.compiled as CompiledAudience);
}

/** Like compileAudiences, but one entry per audience so one bad audience does not stop the rest. */
export function compileEach(
  project: Project,
  dialect: Dialect,
  options: AudienceOptions = {},
): AudienceEntry[] {
  if (project.audiences.length === 0) return [];
  if (!project.profiles) {
    throw new AudienceError('audiences select from the profiles table: add models/profiles.yml');
  }
  const asOf = options.asOf === undefined ? resolveAsOf(project) : options.asOf;
  const tables = profileTables(project);
  const scope: ConditionScope = {
    project,
    dialect,
    now: asOf ? dialect.literal(asOf) : dialect.currentTimestamp(),
    traits: new Set(Object.keys(project.profiles.traits)),
    identityRows: tables.identityRows,
    members: memberRelations(project),
  };
  const clashes = viewNameClashes(project);
  const entries: AudienceEntry[] = project.audiences.map(({ path, value }) => {
    const fail = (message: string) => ({
      name: value.name,
      path,
      dependsOn: [],
      error: new AudienceError(message, path, value.name),
    });
    const clash = clashes.get(value.name);
    if (clash) return fail(clash);
    try {
      const compiled = compileOne(project, value, path, scope, tables.profiles);
      return { name: value.name, path, dependsOn: compiled.dependsOn, compiled };
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
  });
  const { ordered, cyclic } = orderAudiences(entries);
  const stuck = entries
    .filter((e) => cyclic.has(e.name))
    .map(({ compiled: _compiled, ...e }) => ({
      ...e,
      error: new AudienceError(cyclic.get(e.name) as string, e.path, e.name),
    }));
  return [...ordered, ...stuck];
}

function compileOne(
  project: Project,
  audience: AudienceConfig,
  path: string,
  scope: ConditionScope,
  profiles: RelationRef,
): CompiledAudience {
  const { dialect } = scope;
  const parts: ConditionParts = { events: [], dependsOn: new Set() };
  const tests: string[] = [];
  if (audience.where !== undefined) tests.push(conditionSql(audience.where, scope, parts));
  else {
    const raw = renderAudienceSql(project, dialect, { name: audience.name, path, sql: audience.sql ?? '' });
    tests.push(`${PROFILE_ALIAS}.profile_id IN (SELECT profile_id FROM (\n${raw}) AS weft_raw)`);
  }
  if (audience.exclude !== undefined) tests.push(`NOT (${conditionSql(audience.exclude, scope, parts)})`);
  const columns = outputColumns(audience, scope);
  const arms = audience.splits ? splitArms(audience.splits) : [];
  const traitColumns = columns.map((c) => `${PROFILE_ALIAS}.${dialect.quoteIdent(c)}`);
  const members = [
    `SELECT ${[`${PROFILE_ALIAS}.profile_id`, ...traitColumns, ...(arms.length ? [`${bucketSql(dialect, audience.name, `${PROFILE_ALIAS}.profile_id`)} AS weft_bucket`] : [])].join(', ')}`,
    `FROM ${dialect.qualify(profiles)} AS ${PROFILE_ALIAS}`,
    ...eventJoins(parts),
    `WHERE ${tests.join('\n  AND ')}`,
  ].join('\n');
  const ctes = parts.events.length
    ? `WITH ${parts.events.map((e) => `${e.name} AS (\n${e.select}\n)`).join(',\n')}\n`
    : '';
  const select = arms.length
    ? `SELECT ${['profile_id', ...columns.map((c) => dialect.quoteIdent(c)), `${splitCaseSql(dialect, arms, 'weft_bucket')} AS ${dialect.quoteIdent(SPLIT_COLUMN)}`].join(', ')}\nFROM (\n${members}\n) AS weft_members`
    : members;
  const relation = audienceRelation(project, audience.name);
  return {
    name: audience.name,
    path,
    relation,
    sql: `${ctes}${select}\n`,
    dependsOn: [...parts.dependsOn].sort(),
    columns: arms.length ? [...columns, SPLIT_COLUMN] : columns,
    arms: arms.map((arm) => ({
      name: arm.name,
      percent: arm.percent,
      relation: audienceRelation(project, audience.name, arm.name),
      sql: `SELECT * FROM ${dialect.qualify(relation)} WHERE ${dialect.quoteIdent(SPLIT_COLUMN)} = ${dialect.literal(arm.name)}\n`,
    })),
  };
}

/** The `columns` traits, checked: known traits, no duplicates, none named like weft's own columns. */
function outputColumns(audience: AudienceConfig, scope: ConditionScope): string[] {
  const seen = new Set<string>();
  for (const column of audience.columns) {
    const folded = column.toLowerCase();
    if (folded === 'profile_id') throw new Error("columns: 'profile_id' is always the first column");
    if (folded === SPLIT_COLUMN && audience.splits)
      throw new Error(`columns: '${column}' clashes with the split column`);
    if (seen.has(folded)) throw new Error(`columns: '${column}' is listed twice`);
    seen.add(folded);
    if (!scope.traits.has(column)) {
      const known = [...scope.traits];
      throw new Error(
        `columns: '${column}' is not a trait (profiles.yml traits: ${known.join(', ') || 'none'})`,
      );
    }
  }
  return audience.columns;
}
