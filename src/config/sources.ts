/** models/sources.yml → SourceDef[]. */
import type { ConfigIssue } from './issues.js';
import type { LoadedFile } from './load-yaml.js';
import type { SourcesFile } from './schemas/sources.js';
import { matchFiles } from './source-files.js';
import type { SourceDef, SourceFiles, SourceTableDef } from './types.js';
import { issueAt } from './yaml.js';

type TableEntry = SourcesFile['sources'][string]['tables'][number];

/** A table entry as a SourceTableDef (files: and its options grouped). */
function tableDef(table: TableEntry): SourceTableDef {
  if (typeof table === 'string') return { name: table, identifier: table };
  const def: SourceTableDef = { name: table.name, identifier: table.identifier ?? table.name };
  if (table.description !== undefined) def.description = table.description;
  if (table.files) {
    const files: SourceFiles = { patterns: table.files, materialized: table.materialized ?? false };
    if (table.format) files.format = table.format;
    const o = table.options ?? {};
    if (o.header !== undefined) files.header = o.header;
    if (o.delimiter !== undefined) files.delimiter = o.delimiter;
    if (o.types) files.types = o.types;
    if (o.hive_partitioning !== undefined) files.hivePartitioning = o.hive_partitioning;
    def.files = files;
  }
  return def;
}

/**
 * Normalizes validated sources (a bare table name becomes `{name, identifier: name}`). With
 * `projectDir`, a file source whose pattern matches no file is an issue at its line.
 */
export function toSourceDefs(
  file: LoadedFile<SourcesFile>,
  projectDir?: string,
): { sources: SourceDef[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const sources = Object.entries(file.data.sources).map(([name, source]): SourceDef => {
    const seen = new Set<string>();
    const tables = source.tables.map((table, index) => {
      const def = tableDef(table);
      const at = ['sources', name, 'tables', index];
      if (typeof table !== 'string' && !table.files) {
        for (const key of ['format', 'options', 'materialized'] as const) {
          if (table[key] !== undefined)
            issues.push(
              issueAt(
                file.yaml,
                [...at, key],
                `${key}: applies to file sources: add files: (a path or glob)`,
                'key',
              ),
            );
        }
      }
      if (def.files && projectDir !== undefined) {
        def.files.patterns.forEach((pattern, i) => {
          if (matchFiles(projectDir, pattern).length === 0) {
            const where = def.files!.patterns.length > 1 ? [...at, 'files', i] : [...at, 'files'];
            issues.push(
              issueAt(file.yaml, where, `no file matches '${pattern}' (relative to the project directory)`),
            );
          }
        });
      }
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
    if (source.privacy) def.privacyDelete = source.privacy.delete;
    return def;
  });
  return { sources, issues };
}
