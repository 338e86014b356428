/** Where an audience's view is, whether it is built, and finding an audience by name. */
import { relationKind } from '../../build/relations.js';
import type { AudienceConfig, Project } from '../../config/types.js';
import { closestName } from '../../util/suggest.js';
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import { AudienceNotBuiltError, UnknownAudienceError } from './errors.js';

/** The view `<schema>.audience_<name>` a build writes. */
export function audienceView(project: Project, name: string): RelationRef {
  return { schema: project.config.schema, name: `audience_${name}` };
}

/** An audience's config by name; an UnknownAudienceError names the closest ones otherwise. */
export function findAudience(project: Project, name: string): AudienceConfig {
  const found = project.audiences.find((a) => a.value.name === name);
  if (found) return found.value;
  const names = project.audiences.map((a) => a.value.name);
  // A typo, else a part of a name (`churn` for churn_risk).
  const close = closestName(name, names) ?? names.find((n) => name.length >= 3 && n.includes(name));
  const hint = close === undefined ? '' : ` (did you mean '${close}'?)`;
  const known = names.length > 0 ? `; audiences: ${names.join(', ')}` : ' (add models/audiences/*.yml)';
  throw new UnknownAudienceError(`unknown audience '${name}'${hint}${known}`);
}

/** Whether the audience's view exists. */
export async function isBuilt(warehouse: Warehouse, project: Project, name: string): Promise<boolean> {
  return (await relationKind(warehouse, audienceView(project, name))) !== undefined;
}

/** The audience's view, or an AudienceNotBuiltError telling to run `weft build`. */
export async function builtView(warehouse: Warehouse, project: Project, name: string): Promise<RelationRef> {
  if (await isBuilt(warehouse, project, name)) return audienceView(project, name);
  throw new AudienceNotBuiltError(
    `audience '${name}' is not built yet: run \`weft build\` (or \`weft build --select audiences\`)`,
  );
}
