/** Reads, parses and validates one YAML config file, collecting every problem. */
import { join } from 'node:path';
import type { z } from 'zod';
import { readIfExists } from './files.js';
import { type ConfigIssue, sortByPosition } from './issues.js';
import { parseYaml, type YamlFile, yamlValue } from './yaml.js';
import { validate } from './zod-issues.js';

/** A validated file: its parsed YAML (to point at nodes later) and its data. */
export interface LoadedFile<T> {
  yaml: YamlFile;
  data: T;
}

/** What loading one file produced; `loaded` is absent when the file is missing or invalid. */
export interface LoadResult<T> {
  exists: boolean;
  loaded?: LoadedFile<T>;
  issues: ConfigIssue[];
}

/**
 * Loads `file` (relative to `dir`). `prepare` may rewrite the parsed document first (env
 * rendering) and report its own issues; validation still runs so all problems surface together.
 */
export async function loadYamlFile<T extends z.ZodType>(
  dir: string,
  file: string,
  schema: T,
  prepare?: (yaml: YamlFile) => ConfigIssue[],
): Promise<LoadResult<z.output<T>>> {
  const text = await readIfExists(join(dir, file));
  if (text === undefined) return { exists: false, issues: [] };
  return { exists: true, ...validateYamlText(file, text, schema, prepare) };
}

/** Parses and validates YAML text that belongs to `file`. */
export function validateYamlText<T extends z.ZodType>(
  file: string,
  text: string,
  schema: T,
  prepare?: (yaml: YamlFile) => ConfigIssue[],
  origin?: { line: number; column: number },
): { loaded?: LoadedFile<z.output<T>>; issues: ConfigIssue[] } {
  const yaml = parseYaml(file, text, origin);
  // A document with syntax errors is unreliable: report those, not the confusing schema errors.
  if (yaml.syntaxIssues.length > 0) return { issues: yaml.syntaxIssues };
  const prepared = prepare?.(yaml) ?? [];
  const { data, issues } = validate(schema, yamlValue(yaml), yaml);
  // A value that failed to render is reported once, not again as an invalid value.
  const at = (i: ConfigIssue) => `${i.line}:${i.column}`;
  const preparedAt = new Set(prepared.map(at));
  const all = sortByPosition([...prepared, ...issues.filter((i) => !preparedAt.has(at(i)))]);
  if (data === undefined || all.length > 0) return { issues: all };
  return { loaded: { yaml, data }, issues: [] };
}
