/**
 * The views audiences write: `<schema>.audience_<name>` and `…_<arm>` per split arm, the names a
 * membership condition may use, and clashes between them.
 */
import type { Project } from '../config/types.js';
import type { RelationRef } from '../warehouse/types.js';

/** `<schema>.audience_<name>` (and `_<arm>`). */
export function audienceRelation(project: Project, name: string, arm?: string): RelationRef {
  return {
    schema: project.config.schema,
    name: arm === undefined ? `audience_${name}` : `audience_${name}_${arm}`,
  };
}

/** Every membership name (`x`, and `x_<arm>` for split arms) → its view and audience. */
export function memberRelations(project: Project): Map<string, { audience: string; relation: RelationRef }> {
  const members = new Map<string, { audience: string; relation: RelationRef }>();
  for (const { value } of project.audiences) {
    for (const arm of Object.keys(value.splits ?? {})) {
      members.set(`${value.name}_${arm}`, {
        audience: value.name,
        relation: audienceRelation(project, value.name, arm),
      });
    }
  }
  // Audience names win over arm names (a clash is reported by viewNameClashes).
  for (const { value } of project.audiences) {
    members.set(value.name, { audience: value.name, relation: audienceRelation(project, value.name) });
  }
  return members;
}

/** Audience name → message, when its view or an arm view has the name of another's (case-insensitive). */
export function viewNameClashes(project: Project): Map<string, string> {
  const owner = new Map<string, { audience: string; path: string }>();
  const clashes = new Map<string, string>();
  for (const { path, value } of project.audiences) {
    const views = [value.name, ...Object.keys(value.splits ?? {}).map((arm) => `${value.name}_${arm}`)];
    for (const view of views) {
      const key = view.toLowerCase();
      const earlier = owner.get(key);
      if (earlier && earlier.audience !== value.name) {
        clashes.set(
          value.name,
          `view audience_${view} is also written by audience '${earlier.audience}' (${earlier.path})`,
        );
      } else owner.set(key, { audience: value.name, path });
    }
  }
  return clashes;
}
