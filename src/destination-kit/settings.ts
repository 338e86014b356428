/** Settings helpers: mark secret fields, parse settings, list the secret values to redact. */
import { z } from 'zod';
import { DestinationError } from './errors.js';
import type { AnyDestination } from './types.js';

const secretSchemas = new WeakSet<z.ZodType>();

/** Marks a settings field as a secret: its value is redacted from logs, errors and `weft sandbox` output. */
export function secret<T extends z.ZodType>(schema: T): T {
  secretSchemas.add(schema);
  return schema;
}

/** True when the schema (or the schema it wraps with optional/default/nullable) was marked `secret`. */
export function isSecretSchema(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  while (current !== undefined) {
    if (secretSchemas.has(current)) return true;
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodPrefault
    ) {
      current = current.unwrap() as z.ZodType;
    } else {
      current = undefined;
    }
  }
  return false;
}

/** Names of the top-level settings fields marked secret (the settings schema must be a z.object). */
export function secretSettingNames(destination: AnyDestination): string[] {
  const schema = destination.settings;
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => isSecretSchema(field))
    .map(([name]) => name);
}

/** The secret string values present in parsed settings, to pass to a redactor. */
export function secretSettingValues(
  destination: AnyDestination,
  settings: Record<string, unknown>,
): string[] {
  // A secret may be a string or a map of strings (e.g. extra headers carrying tokens).
  return secretSettingNames(destination)
    .flatMap((name) => {
      const value = settings[name];
      return value !== null && typeof value === 'object' ? Object.values(value) : [value];
    })
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}

/**
 * Parses raw connection settings (weft.yml `connections.<name>` minus `type`) with the destination's
 * schema. Invalid settings throw a DestinationError of kind `config` naming every bad field.
 */
export function parseSettings<D extends AnyDestination>(
  destination: D,
  raw: Record<string, unknown>,
): z.output<D['settings']> {
  const { type: _type, ...given } = raw;
  const { settings: rest, problems: aliasProblems } = resolveSettingAliases(destination, given);
  if (aliasProblems.length > 0)
    throw new DestinationError('config', `invalid ${destination.type} settings: ${aliasProblems.join('; ')}`);
  const schema: z.ZodType = destination.settings;
  const parsed = schema.safeParse(rest);
  if (parsed.success) return parsed.data as z.output<D['settings']>;
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(settings)';
    return `${where}: ${issue.message}`;
  });
  throw new DestinationError('config', `invalid ${destination.type} settings: ${problems.join('; ')}`);
}

/**
 * Renames a destination's setting aliases (`settingAliases`) to the settings they stand for;
 * giving an alias and its setting together is a problem (`<alias>: …`).
 */
export function resolveSettingAliases(
  destination: AnyDestination,
  given: Record<string, unknown>,
): { settings: Record<string, unknown>; problems: string[] } {
  const settings = { ...given };
  const problems: string[] = [];
  for (const [alias, name] of Object.entries(destination.settingAliases ?? {})) {
    if (!Object.hasOwn(settings, alias)) continue;
    if (Object.hasOwn(settings, name))
      problems.push(`${alias}: is another name for '${name}': give only one`);
    else settings[name] = settings[alias];
    delete settings[alias];
  }
  return { settings, problems };
}
