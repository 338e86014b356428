/** `SOURCE.TABLE` → the warehouse relation: a declared source's schema and identifier, else `SOURCE`.`TABLE`. */
import type { Project } from '../../config/types.js';
import type { RelationRef } from '../../warehouse/types.js';

/** The relation `into` names. */
export function targetRelation(project: Project, into: string): RelationRef {
  const [sourceName = '', tableName = ''] = into.split('.');
  const source = project.sources.find((s) => s.name === sourceName);
  const table = source?.tables.find((t) => t.name === tableName);
  return { schema: source?.schema ?? sourceName, name: table?.identifier ?? tableName };
}
