/**
 * The source `dbt`: every relation of the dbt manifest as a table of one SourceDef, so
 * `from: dbt.<model>` and `{{source 'dbt' '<model>'}}` resolve like any declared source.
 */
import path from 'node:path';
import type { ConfigIssue } from '../config/issues.js';
import type { DbtConfig, SourceDef, SourceTableDef } from '../config/types.js';
import { type DbtManifest, DbtManifestError, manifestPath, readDbtManifest } from './manifest.js';

/** The source name dbt models are read under. */
export const DBT_SOURCE = 'dbt';

/** The SourceDef for `manifest`: each table carries its own schema (dbt builds into several). */
export function dbtSourceDef(manifest: DbtManifest): SourceDef {
  const tables: SourceTableDef[] = [];
  const seen = new Set<string>();
  for (const node of manifest.relations) {
    // Two packages may each have a model of one name: the first (models before seeds) wins.
    if (seen.has(node.name)) continue;
    seen.add(node.name);
    tables.push({
      name: node.name,
      identifier: node.identifier,
      schema: node.schema,
      description: `dbt ${node.resourceType} ${node.uniqueId}`,
    });
  }
  return { name: DBT_SOURCE, schema: mostCommonSchema(manifest), description: 'dbt project', tables };
}

function mostCommonSchema(manifest: DbtManifest): string {
  const counts = new Map<string, number>();
  for (const node of manifest.relations) counts.set(node.schema, (counts.get(node.schema) ?? 0) + 1);
  let best = 'main';
  let bestCount = 0;
  for (const [schema, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (count > bestCount) [best, bestCount] = [schema, count];
  return best;
}

/** The dbt project loaded for a weft project: its manifest and where it came from. */
export interface LoadedDbt {
  manifest: DbtManifest;
  /** The manifest's path relative to the weft project, forward slashes. */
  manifestFile: string;
  source: SourceDef;
}

/**
 * Loads weft.yml's `dbt:` project. A missing or unreadable manifest is an issue that says how
 * to produce one; `where` places it on weft.yml's `dbt:` block.
 */
export async function loadDbt(
  projectDir: string,
  dbt: DbtConfig,
  where: (message: string) => ConfigIssue,
): Promise<{ dbt?: LoadedDbt; issues: ConfigIssue[] }> {
  const file = manifestPath(projectDir, dbt);
  const manifestFile = path.relative(projectDir, file).split(path.sep).join('/');
  try {
    const manifest = await readDbtManifest(file);
    return { dbt: { manifest, manifestFile, source: dbtSourceDef(manifest) }, issues: [] };
  } catch (error) {
    if (!(error instanceof DbtManifestError)) throw error;
    const message = error.message.replace(file, manifestFile);
    return {
      issues: [
        where(
          `${message}: run \`dbt parse\` (or \`dbt compile\` / \`dbt build\`) in ${dbt.project_dir} to write it, or fix dbt.project_dir / dbt.manifest`,
        ),
      ],
    };
  }
}
