/** models/sources.yml → SourceDef[]. */
import type { ConfigIssue } from './issues.js';
import type { LoadedFile } from './load-yaml.js';
import type { SourcesFile } from './schemas/sources.js';
import type { SourceDef } from './types.js';
import { issueAt } from './yaml.js';

/** Normalizes validated sources (a bare table name becomes `{name, identifier: name}`). */
export function toSourceDefs(file: LoadedFile<SourcesFile>): { sources: SourceDef[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const sources = Object.entries(file.data.sources).map(([name, source]): SourceDef => {
    const seen = new Set<string>();
    const tables = source.tables.map((table, index) => {
      const def =
        typeof table === 'string'
          ? { name: table, identifier: table }
          : { ...table, identifier: table.identifier ?? table.name };
      if (seen.has(def.name)) {
        issues.push(
          issueAt(file.yaml, ['sources', name, 'tables', index], `table '${def.name}' is listed twice`),
        );
      }
      seen.add(def.name);
      return def;
    });
    const def: SourceDef = { name, schema: source.schema, tables };
    if (source.description !== undefined) def.description = source.description;
    return def;
  });
  return { sources, issues };
}
