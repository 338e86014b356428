/**
 * Checks across files for models/triggers/*.yml: the name is the file's, the connection exists,
 * the `where:` tree names known traits and audiences and no event conditions (a live profile has
 * no event history to count), and every template parses.
 */
import Handlebars from 'handlebars';
import { audienceViewNames, suggestion, walkConditions } from './audience-refs.js';
import type { ConfigIssue, PathSegment } from './issues.js';
import type { LoadedFile } from './load-yaml.js';
import type { AudienceConfig } from './schemas/audience.js';
import type { TriggerFileConfig } from './schemas/trigger.js';
import { issueAt } from './yaml.js';

/** What trigger files may refer to. */
export interface TriggerRefContext {
  /** weft.yml's connections; undefined when weft.yml itself is invalid (not checked then). */
  connections: string[] | undefined;
  /** Trait names of models/profiles.yml; undefined without one. */
  traits?: string[];
  audiences: LoadedFile<AudienceConfig>[];
  triggers: LoadedFile<TriggerFileConfig>[];
}

/** The trigger's name: its file name without the extension. */
export function triggerNameOf(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1).replace(/\.ya?ml$/, '');
}

/** Every broken reference in the trigger files. */
export function checkTriggerReferences(ctx: TriggerRefContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const audiences = audienceViewNames(ctx.audiences);
  const seen = new Map<string, string>();
  for (const file of ctx.triggers) {
    const data = file.data;
    const at = (path: PathSegment[], message: string) => issues.push(issueAt(file.yaml, path, message));
    const name = triggerNameOf(file.yaml.file);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      issues.push({
        file: file.yaml.file,
        message: `trigger name '${name}' (the file name) must contain only letters, digits and underscores`,
      });
    if (data.name !== undefined && data.name !== name)
      at(['name'], `name '${data.name}' differs from the file name '${name}': rename one of them`);
    const first = seen.get(name);
    if (first) at(['name'], `duplicate trigger name '${name}' (also in ${first})`);
    else seen.set(name, file.yaml.file);

    if (ctx.connections && !ctx.connections.includes(data.send.connection))
      at(
        ['send', 'connection'],
        `unknown connection '${data.send.connection}': not in weft.yml connections${suggestion(data.send.connection, ctx.connections, 'connections')}`,
      );
    if (data.where) {
      for (const { condition, path } of walkConditions(data.where, ['where'])) {
        if ('event' in condition)
          at(
            [...path, 'event'],
            "event conditions are not evaluated live (a live profile has no event history): use a trait (a live counter such as 'pricing_views_7d') or an audience",
          );
        if ('trait' in condition) traitCheck(condition.trait, [...path, 'trait']);
        if ('audience' in condition && !audiences.includes(condition.audience))
          at(
            [...path, 'audience'],
            `unknown audience '${condition.audience}'${suggestion(condition.audience, audiences, 'audiences')}`,
          );
      }
    }
    const zoneTrait = data.quiet_hours?.timezone_trait;
    if (zoneTrait) traitCheck(zoneTrait, ['quiet_hours', 'timezone_trait']);
    const templates: Array<[string | undefined, PathSegment[]]> = [
      [data.send.template, ['send', 'template']],
      [data.send.key, ['send', 'key']],
      ...Object.entries(data.send.fields ?? {}).map(([field, template]): [string, PathSegment[]] => [
        template,
        ['send', 'fields', field],
      ]),
    ];
    for (const [template, path] of templates) {
      if (template === undefined) continue;
      try {
        Handlebars.parse(template);
      } catch (error) {
        at(path, `invalid template: ${templateError(error)}`);
      }
    }

    function traitCheck(trait: string, path: PathSegment[]) {
      if (ctx.traits === undefined)
        at(path, `unknown trait '${trait}': the project has no models/profiles.yml`);
      else if (!ctx.traits.includes(trait))
        at(
          path,
          `unknown trait '${trait}': not in models/profiles.yml${suggestion(trait, ctx.traits, 'traits')}`,
        );
    }
  }
  return issues;
}

/** Handlebars' parse error in one line: where, and what it expected. */
function templateError(error: unknown): string {
  const lines = String((error as Error).message).split('\n');
  const last = lines.length > 1 ? lines[lines.length - 1] : undefined;
  return `${lines[0]?.replace(/:$/, '')}${last ? `: ${last}` : ''}`;
}
