/**
 * `weft validate`'s check of weft.yml `connections:` against each connector's settings schema:
 * unknown types and keys (with did-you-mean, aliases such as HubSpot's `token` accepted), values
 * of the wrong kind, bad enums and URLs that are not URLs, each at its weft.yml line, so a typo
 * surfaces before `weft sync` reads the connection.
 */
import { z } from 'zod';
import { getDestination, registeredDestinations } from '../../../destinations/index.js';
import { type ConfigIssue, type PathSegment, sortByPosition } from '../../config/issues.js';
import type { Project } from '../../config/types.js';
import { issueAt, type YamlFile } from '../../config/yaml.js';
import { resolveSettingAliases } from '../../destination-kit/index.js';
import { didYouMean } from '../../util/suggest.js';

/** Every problem of the project's connection settings, located in `weftYaml` (weft.yml). */
export function checkConnectionSettings(project: Project, weftYaml: YamlFile): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const unavailable = project.config.unavailable_connections ?? {};
  for (const [name, connection] of Object.entries(project.config.connections)) {
    // A connection whose secret is not set here is reported by validate as unusable, not broken.
    if (Object.hasOwn(unavailable, name)) continue;
    const at = (path: PathSegment[], message: string, target: 'key' | 'value' = 'value') =>
      issues.push(issueAt(weftYaml, ['connections', name, ...path], message, target));
    const destination = getDestination(connection.type);
    if (!destination) {
      const types = registeredDestinations().map((d) => d.type);
      at(
        ['type'],
        `unknown connection type '${connection.type}'${didYouMean(connection.type, types)}; types: ${types.join(', ')}`,
      );
      continue;
    }
    const { type: _type, ...given } = connection;
    const { settings, problems } = resolveSettingAliases(destination, given);
    for (const problem of problems) {
      const [key] = problem.split(':');
      at([key ?? ''], problem.slice((key ?? '').length + 2), 'key');
    }
    const schema = destination.settings;
    const shape = schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : undefined;
    if (shape) {
      const allowed = [...shape, ...Object.keys(destination.settingAliases ?? {})];
      for (const key of Object.keys(given)) {
        if (!allowed.includes(key))
          at([key], `unknown ${destination.type} setting '${key}'${didYouMean(key, allowed)}`, 'key');
      }
    }
    const parsed = (schema as z.ZodType).safeParse(settings);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      const key = String(path[0] ?? '');
      if (path.length === 1 && !Object.hasOwn(settings, key)) {
        at([], `missing required ${destination.type} setting '${key}'`, 'key');
      } else {
        // Messages name the expected kind or values, never the value itself (it may be a secret).
        at(givenPath(path, given, destination.settingAliases), settingMessage(issue));
      }
    }
  }
  return sortByPosition(issues);
}

/** The path as weft.yml spells it: an alias the user wrote stays the alias. */
function givenPath(
  path: PathSegment[],
  given: Record<string, unknown>,
  aliases: Record<string, string> = {},
): PathSegment[] {
  const [first, ...rest] = path;
  const alias = Object.entries(aliases).find(([a, name]) => name === first && Object.hasOwn(given, a))?.[0];
  return alias ? [alias, ...rest] : path;
}

function settingMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && 'values' in issue)
    return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  if (issue.code === 'invalid_format' && issue.format === 'url')
    return 'must be a URL, e.g. https://api.example.com';
  return issue.message.replace(/^Invalid input: /, '');
}
