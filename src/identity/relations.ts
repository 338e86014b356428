/** Where an identity source's `from` lives in the warehouse. */
import { modelRelation } from '../compiler/relation.js';
import type { Project } from '../config/types.js';
import type { RelationRef } from '../warehouse/types.js';

/**
 * Resolves an identity/profile source `from`: `source.table` → the source table's relation,
 * a bare name → the model's relation (its own schema, else the project schema).
 */
export function resolveFrom(project: Project, from: string): RelationRef {
  const dot = from.indexOf('.');
  if (dot >= 0) {
    const sourceName = from.slice(0, dot);
    const tableName = from.slice(dot + 1);
    const source = project.sources.find((s) => s.name === sourceName);
    const table = source?.tables.find((t) => t.name === tableName);
    if (!source || !table) throw new Error(`Unknown source table '${from}'`);
    return { schema: table.schema ?? source.schema, name: table.identifier };
  }
  const model = project.models.find((m) => m.name === from);
  if (model) return modelRelation(model, project.config.schema);
  return { schema: project.config.schema, name: from };
}
