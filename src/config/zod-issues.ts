/**
 * Turns zod issues into config issues that point at the YAML node of their path, with
 * messages written for people editing YAML (and never echoing a value that could be a secret,
 * except short enum-like strings).
 */
import type { z } from 'zod';
import { didYouMean } from '../util/suggest.js';
import { type ConfigIssue, type PathSegment, sortByPosition } from './issues.js';
import { issueAt, type YamlFile } from './yaml.js';

type ZodIssue = z.core.$ZodIssue;

/** Separates the per-key messages that `strictObject` packs into one unrecognized_keys issue. */
export const UNKNOWN_KEY_SEPARATOR = '\n';

/** Validates `value` with `schema`; issues point into `yaml`. `basePath` prefixes every path. */
export function validate<T extends z.ZodType>(
  schema: T,
  value: unknown,
  yaml: YamlFile,
  basePath: PathSegment[] = [],
): { data?: z.output<T>; issues: ConfigIssue[] } {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { data: result.data, issues: [] };
  const issues = result.error.issues.flatMap((issue) =>
    toConfigIssues(issue, basePath, value, yaml, basePath),
  );
  return { issues: sortByPosition(dropExplainedMissingKeys(issues)) };
}

/**
 * `tabels:` yields both "unknown key 'tabels' (did you mean 'tables'?)" and "missing required
 * key 'tables'"; the second says nothing new, so it is dropped.
 */
function dropExplainedMissingKeys(issues: ConfigIssue[]): ConfigIssue[] {
  const suggested = new Set<string>();
  for (const issue of issues) {
    const match = /did you mean '([^']+)'\?/.exec(issue.message);
    const parent = parentPath(issue.path);
    if (match && issue.message.startsWith('unknown key')) suggested.add(`${parent}|${match[1]}`);
  }
  return issues.filter((issue) => {
    const missing = /^missing required key '([^']+)'$/.exec(issue.message);
    if (!missing) return true;
    const parent = parentPath(issue.path);
    return !suggested.has(`${parent}|${missing[1]}`);
  });
}

/** `a.b[2].c` → `a.b[2]` (the formatted path of the parent). */
function parentPath(path: string | undefined): string {
  return path?.replace(/(?:^|\.)[^.[\]]+$|\[[^\]]*\]$/, '') ?? '';
}

function toConfigIssues(
  issue: ZodIssue,
  prefix: PathSegment[],
  root: unknown,
  yaml: YamlFile,
  basePath: PathSegment[],
): ConfigIssue[] {
  const path = [...prefix, ...(issue.path as PathSegment[])];
  const dataPath = path.slice(basePath.length);
  if (issue.code === 'unrecognized_keys') {
    const messages = issue.message.split(UNKNOWN_KEY_SEPARATOR);
    return issue.keys.map((key, i) =>
      issueAt(yaml, [...path, key], messages[i] ?? `unknown key '${key}'`, 'key'),
    );
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branch = bestBranch(issue.errors);
    if (branch) return branch.flatMap((inner) => toConfigIssues(inner, path, root, yaml, basePath));
    return [issueAt(yaml, path, unionTypeMessage(issue.errors, valueAt(root, dataPath).value))];
  }
  const last = path[path.length - 1];
  // A custom (refinement) issue about an absent key has a better message of its own.
  if (issue.code !== 'custom' && !valueAt(root, dataPath).exists && typeof last === 'string') {
    return [issueAt(yaml, path, `missing required key '${last}'`)];
  }
  return [issueAt(yaml, path, messageFor(issue, valueAt(root, dataPath).value, path.length === 0))];
}

/** A short, value-free description of a YAML value's type. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function messageFor(issue: ZodIssue, input: unknown, atRoot: boolean): string {
  switch (issue.code) {
    case 'invalid_type':
      if (atRoot && (input === null || input === undefined)) return 'the file is empty';
      return `expected ${expectedName(issue.expected)}, got ${describeType(input)}`;
    case 'invalid_value':
      return choiceMessage(issue.values.map(String), input);
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options) return choiceMessage(options.map(String), input);
      return issue.message;
    }
    case 'too_small':
      if (Number(issue.minimum) === 1 && (issue.origin === 'array' || issue.origin === 'string')) {
        return 'must not be empty';
      }
      return issue.message.replace(/^Too small: /, '');
    case 'too_big':
      return issue.message.replace(/^Too big: /, '');
    default:
      return issue.message;
  }
}

function choiceMessage(options: string[], input: unknown): string {
  const list = options.map((o) => `'${o}'`).join(', ');
  if (typeof input !== 'string') return `expected one of ${list}, got ${describeType(input)}`;
  const shown = input.length <= 40 ? `'${input}'` : 'another string';
  return `expected one of ${list}, got ${shown}${didYouMean(input, options)}`;
}

/** True when a branch failed because the value is the wrong type altogether. */
function isTypeMismatch(branch: ZodIssue[]): boolean {
  return branch.some(
    (i) =>
      i.path.length === 0 &&
      (i.code === 'invalid_type' ||
        (i.code === 'invalid_union' && i.errors.length > 0 && i.errors.every(isTypeMismatch))),
  );
}

/** How badly a branch's keys fit the value: unknown keys plus missing keys at its top level. */
function shapeMismatch(branch: ZodIssue[]): number {
  let count = 0;
  for (const issue of branch) {
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) count += issue.keys.length;
    else if (issue.code !== 'custom' && issue.path.length === 1 && issue.input === undefined) count += 1;
  }
  return count;
}

function weight(branch: ZodIssue[]): number {
  return branch.reduce((sum, i) => sum + (i.code === 'unrecognized_keys' ? i.keys.length : 1), 0);
}

/**
 * The union branch the user most likely meant: one whose type matched and whose keys fit
 * best, then the one with the fewest problems. Undefined when no branch's type matched (then
 * one "expected X or Y" message is clearer).
 */
function bestBranch(branches: ZodIssue[][]): ZodIssue[] | undefined {
  const candidates = branches.filter((b) => !isTypeMismatch(b));
  candidates.sort((a, b) => shapeMismatch(a) - shapeMismatch(b) || weight(a) - weight(b));
  return candidates[0];
}

function unionTypeMessage(branches: ZodIssue[][], input: unknown): string {
  const expected = new Set<string>();
  for (const branch of branches) {
    for (const i of branch) if (i.path.length === 0 && i.code === 'invalid_type') expected.add(i.expected);
  }
  return `expected ${[...expected].map(expectedName).join(' or ')}, got ${describeType(input)}`;
}

function expectedName(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  if (expected === 'int') return 'an integer';
  return `a ${expected}`;
}

function valueAt(root: unknown, path: readonly PathSegment[]): { exists: boolean; value: unknown } {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !(segment in current)) {
      return { exists: false, value: undefined };
    }
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return { exists: true, value: current };
}
