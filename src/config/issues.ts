/** Config problems: where they are (file:line:column, field path) and how they print. */

/** One problem in a project's configuration. */
export interface ConfigIssue {
  /** Path relative to the project directory, forward slashes (or `$NAME` for an env variable). */
  file: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** Field path inside the file, e.g. `sources.shop.tables[1]`. */
  path?: string;
  message: string;
}

/** A path segment: an object key or an array index. */
export type PathSegment = string | number;

/** `['sources', 'shop', 'tables', 1]` → `sources.shop.tables[1]` (odd keys are quoted). */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** `models/sources.yml:3:5  sources.shop.tabels: unknown key 'tabels' (did you mean 'tables'?)` */
export function formatIssue(issue: ConfigIssue): string {
  let where = issue.file;
  if (issue.line !== undefined) where += `:${issue.line}`;
  if (issue.line !== undefined && issue.column !== undefined) where += `:${issue.column}`;
  const path = issue.path ? `${issue.path}: ` : '';
  return `${where}  ${path}${issue.message}`;
}

/** Orders issues by line then column (stable for issues without a position). */
export function sortByPosition(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** Thrown by `loadProjectOrThrow` when a project has any config issue; lists all of them. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`invalid project configuration (${count}):\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
