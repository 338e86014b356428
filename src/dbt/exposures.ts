/**
 * dbt exposures for weft's syncs: each sync becomes an `application` exposure depending on the
 * dbt models it reads, so dbt's lineage (docs, `dbt ls --select +exposure:…`) shows where data
 * goes. Follows dbt's exposure properties: name, label, type, owner, description, depends_on, meta.
 */
import { stringify } from 'yaml';
import type { Project } from '../config/types.js';
import { DbtLineage } from './lineage.js';
import { compare } from './manifest.js';

/** One exposure as dbt's `exposures:` list holds it. */
export interface DbtExposure {
  name: string;
  label: string;
  type: 'application';
  owner: { name?: string; email?: string };
  description: string;
  depends_on?: string[];
  meta: Record<string, string>;
}

/** The exposure name of a sync (`weft_<sync>`: exposures share dbt's namespace). */
export function exposureName(sync: string): string {
  return `weft_${sync}`;
}

/** Every sync of `project` as an exposure, sorted by name. */
export function syncExposures(project: Project): DbtExposure[] {
  const lineage = new DbtLineage(project);
  const owner = project.config.dbt?.owner ?? { name: project.config.name };
  return [...project.syncs]
    .sort((a, b) => compare(a.value.name, b.value.name))
    .map(({ value: sync, path }) => {
      const connectionType = String(project.config.connections[sync.connection]?.type ?? 'unknown');
      const models = lineage.modelsOfSync(sync);
      const target = sync.object ? ` (${sync.object})` : sync.list ? ` (list ${sync.list})` : '';
      const exposure: DbtExposure = {
        name: exposureName(sync.name),
        label: `weft sync ${sync.name}`,
        type: 'application',
        owner: { ...owner },
        description: `weft syncs ${sync.from} to ${sync.connection}${target}, ${connectionType}, mode ${sync.mode}${sync.description ? `: ${sync.description}` : ''}`,
        meta: {
          weft_project: project.config.name,
          weft_sync: sync.name,
          weft_file: path,
          from: sync.from,
          connection: sync.connection,
          connection_type: connectionType,
          mode: sync.mode,
          ...(sync.object ? { object: sync.object } : {}),
        },
      };
      if (models.length > 0) exposure.depends_on = models.map((m) => `ref('${m}')`);
      return exposure;
    });
}

/** The exposures.yml text: a header comment, then `version: 2` and `exposures:`. */
export function exposuresYaml(project: Project): string {
  const body = stringify(
    { version: 2, exposures: syncExposures(project) },
    { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' },
  );
  return `# Written by \`weft dbt exposures\` from the weft project '${project.config.name}': one exposure per sync.\n# Do not edit: rerun the command after changing syncs.\n${body}`;
}
