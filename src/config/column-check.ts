/**
 * Column names in models/identity.yml and models/profiles.yml checked against the columns of the
 * relations they read, each problem at its file:line and field. Used by `weft validate` (with
 * the warehouse when it can be read) and by `weft build` before the identity and profiles
 * stages, so a typo names its file and field instead of surfacing as a warehouse binder error.
 */
import path from 'node:path';
import { didYouMean } from '../util/suggest.js';
import { readIfExists } from './files.js';
import type { ConfigIssue, PathSegment } from './issues.js';
import type { Project } from './types.js';
import { issueAt, parseYaml, type YamlFile } from './yaml.js';

/** The columns of a `from` (a model, `source.table`, `profiles`, `audience.X`), or undefined when unknown. */
export type ColumnsOf = (from: string) => Promise<string[] | undefined>;

/** Reads and parses one project file for locating problems (undefined when it is missing). */
export async function readProjectYaml(project: Project, file: string): Promise<YamlFile | undefined> {
  const text = await readIfExists(path.join(project.dir, file));
  return text === undefined ? undefined : parseYaml(file, text);
}

/** "'x' is not a column of from (did you mean …?) (columns: …)" at `at`. */
export function notAColumn(
  yaml: YamlFile,
  at: PathSegment[],
  column: string,
  from: string,
  columns: string[],
): ConfigIssue {
  return issueAt(
    yaml,
    at,
    `'${column}' is not a column of ${from}${didYouMean(column, columns)} (columns: ${columns.join(', ')})`,
  );
}

/** SQL folds unquoted names, so identity and profiles columns compare without case. */
function has(columns: string[], column: string): boolean {
  return columns.some((c) => c.toLowerCase() === column.toLowerCase());
}

/** identity.yml's id, timestamp, key and name columns that their source does not have. */
export async function checkIdentityColumns(project: Project, columnsOf: ColumnsOf): Promise<ConfigIssue[]> {
  const identity = project.identity;
  const yaml = identity && (await readProjectYaml(project, 'models/identity.yml'));
  if (!identity || !yaml) return [];
  const issues: ConfigIssue[] = [];
  for (const [i, source] of identity.sources.entries()) {
    const columns = await columnsOf(source.from);
    if (!columns) continue;
    const base: PathSegment[] = ['identity', 'sources', i];
    const expect = (at: PathSegment[], column: string | undefined) => {
      if (column !== undefined && !has(columns, column))
        issues.push(notAColumn(yaml, [...base, ...at], column, source.from, columns));
    };
    for (const [type, column] of Object.entries(source.ids)) expect(['ids', type], column);
    expect(['timestamp'], source.timestamp);
    expect(['key'], source.key);
    for (const [j, name] of (source.names ?? []).entries()) expect(['names', j], name);
  }
  return issues;
}

/** profiles.yml's trait columns (`column`, `order_by`) that their sources do not have. */
export async function checkProfilesColumns(project: Project, columnsOf: ColumnsOf): Promise<ConfigIssue[]> {
  const profiles = project.profiles;
  const yaml = profiles && (await readProjectYaml(project, 'models/profiles.yml'));
  if (!profiles || !yaml) return [];
  const issues: ConfigIssue[] = [];
  for (const [name, trait] of Object.entries(profiles.traits)) {
    for (const from of Array.isArray(trait.from) ? trait.from : [trait.from]) {
      const columns = await columnsOf(from);
      if (!columns) continue;
      const base: PathSegment[] = ['profiles', 'traits', name];
      if (trait.column && !has(columns, trait.column))
        issues.push(notAColumn(yaml, [...base, 'column'], trait.column, from, columns));
      if (trait.order_by && !has(columns, trait.order_by))
        issues.push(notAColumn(yaml, [...base, 'order_by'], trait.order_by, from, columns));
    }
  }
  return issues;
}
