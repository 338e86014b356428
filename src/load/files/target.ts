/**
 * `--into SOURCE.TABLE` → the relation to write. A source declared in models/sources.yml gives
 * its schema and the table's identifier; an undeclared one still loads (schema = SOURCE) with a
 * hint showing the sources.yml lines to add, so a first load never fails for want of YAML.
 */
import type { Project } from '../../config/types.js';
import type { RelationRef } from '../../warehouse/types.js';

/** The relation to write and any hints for the user. */
export interface ResolvedInto {
  relation: RelationRef;
  hints: string[];
}

/** Resolves `into` (`SOURCE.TABLE`, already validated as two identifiers). */
export function resolveInto(project: Project, into: string): ResolvedInto {
  const [sourceName, tableName] = into.split('.') as [string, string];
  const source = project.sources.find((s) => s.name === sourceName);
  const table = source?.tables.find((t) => t.name === tableName);
  if (source && table)
    return { relation: { schema: table.schema ?? source.schema, name: table.identifier }, hints: [] };
  if (source) {
    return {
      relation: { schema: source.schema, name: tableName },
      hints: [
        `${sourceName}.${tableName} is not declared in models/sources.yml: add it to read it from models, identity and syncs:`,
        `  sources:\n    ${sourceName}:\n      tables:\n        - ${tableName}`,
      ],
    };
  }
  return {
    relation: { schema: sourceName, name: tableName },
    hints: [
      `source '${sourceName}' is not declared in models/sources.yml: add these lines to read ${into} from models, identity and syncs:`,
      `  sources:\n    ${sourceName}:\n      schema: ${sourceName}\n      tables:\n        - ${tableName}`,
    ],
  };
}
