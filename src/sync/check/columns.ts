/**
 * `weft validate`'s check of the column names the YAML files use: identity.yml's id, timestamp,
 * key and name columns, profiles.yml's trait columns, and each sync's key and mappings. Columns
 * are known without the warehouse for `profiles` (profile_id and the traits) and audiences with
 * `columns:`, and models whose final SELECT names every column; for other models and source
 * tables they come from the warehouse when it is reachable and the relation exists (`columnsOf`
 * answers undefined otherwise, and nothing is checked).
 */
import {
  type ColumnsOf,
  checkIdentityColumns,
  checkProfilesColumns,
  notAColumn,
  readProjectYaml,
} from '../../config/column-check.js';
import type { ConfigIssue } from '../../config/issues.js';
import type { Project } from '../../config/types.js';
import { issueAt } from '../../config/yaml.js';
import { didYouMean } from '../../util/suggest.js';
import { compileMappings } from '../mapping/compile.js';
import { SyncConfigError } from '../resolve.js';

export type { ColumnsOf } from '../../config/column-check.js';

/**
 * Column lists whose case may differ from the warehouse's (a model's `select Email` is reported
 * with the table's spelling): a sync's names are matched against them without case.
 */
export const caseInsensitive = new WeakSet<string[]>();

/** `columns` with the spellings `wanted` uses where they match a column but for case. */
function withSpellings(columns: string[], wanted: string[]): string[] {
  if (!caseInsensitive.has(columns)) return columns;
  const lowered = new Set(columns.map((c) => c.toLowerCase()));
  const extra = wanted.filter((w) => !columns.includes(w) && lowered.has(w.toLowerCase()));
  return [...columns, ...new Set(extra)];
}

/** The identifiers a mapping may name (plain columns, words inside `{{…}}`). */
function namesIn(source: string): string[] {
  return source.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
}

/** The columns knowable from the project alone: `profiles` and audiences that list `columns:`. */
export function projectColumns(project: Project, from: string): string[] | undefined {
  if (from === 'profiles' && project.profiles && !project.models.some((m) => m.name === 'profiles'))
    return ['profile_id', ...Object.keys(project.profiles.traits)];
  if (from.startsWith('audience.')) {
    const audience = project.audiences.find((a) => a.value.name === from.slice('audience.'.length))?.value;
    if (!audience || audience.sql !== undefined) return undefined;
    return ['profile_id', ...(audience.columns ?? []), ...(audience.splits ? ['split'] : [])];
  }
  return undefined;
}

/** Every column name the project's files use that its relation does not have. */
export async function checkColumns(project: Project, columnsOf: ColumnsOf): Promise<ConfigIssue[]> {
  const issues = [
    ...(await checkIdentityColumns(project, columnsOf)),
    ...(await checkProfilesColumns(project, columnsOf)),
  ];
  for (const sync of project.syncs) {
    const config = sync.value;
    const found = await columnsOf(config.from);
    const yaml = found && (await readProjectYaml(project, sync.path));
    if (!found || !yaml) continue;
    const columns = withSpellings(found, [config.key, ...Object.values(config.mappings).flatMap(namesIn)]);
    if (!columns.includes(config.key))
      issues.push(notAColumn(yaml, ['key'], config.key, config.from, columns));
    // Each mapping on its own, so every bad one is reported at its line.
    for (const [field, source] of Object.entries(config.mappings)) {
      try {
        compileMappings({ [field]: source }, columns, undefined);
      } catch (error) {
        if (!(error instanceof SyncConfigError)) throw error;
        const message = error.message
          .replace(/^mapping '[^']*': /, '')
          .replace(
            /unknown column '([^']+)'/,
            (text, column: string) => `${text}${didYouMean(column, columns)}`,
          );
        issues.push(issueAt(yaml, ['mappings', field], message));
      }
    }
  }
  return issues;
}
