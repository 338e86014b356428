/**
 * Validation of references to dbt models: an unknown model names the closest one in the
 * manifest (renames usually add a prefix, e.g. customers → dim_customers), and a sync's key and
 * column mappings must be columns of the model (when catalog.json lists its columns).
 */
import type { ConfigIssue } from '../config/issues.js';
import type { LoadedFile } from '../config/load-yaml.js';
import type { SyncConfig } from '../config/types.js';
import { issueAt } from '../config/yaml.js';
import { closestName } from '../util/suggest.js';
import { DBT_SOURCE, type LoadedDbt } from './source.js';

/** The closest name: a plausible typo, else the shortest name containing it (or it contains). */
export function closestDbtName(name: string, candidates: readonly string[]): string | undefined {
  const typo = closestName(name, candidates);
  if (typo) return typo;
  const lower = name.toLowerCase();
  return [...candidates]
    .filter((c) => c.toLowerCase().includes(lower) || lower.includes(c.toLowerCase()))
    .sort((a, b) => a.length - b.length || (a < b ? -1 : 1))[0];
}

/** The message for `dbt.<model>` when the manifest has no such model. */
export function unknownDbtModelMessage(from: string, dbt: LoadedDbt): string {
  const model = from.slice(DBT_SOURCE.length + 1);
  const names = dbt.source.tables.map((t) => t.name);
  const closest = closestDbtName(model, names);
  const hint = closest ? ` (did you mean 'dbt.${closest}'?)` : '';
  return `unknown dbt model '${model}': not in ${dbt.manifestFile}${hint}`;
}

/** Column problems of syncs reading a dbt model directly. */
export function checkDbtSyncColumns(dbt: LoadedDbt, syncs: LoadedFile<SyncConfig>[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const sync of syncs) {
    const from = sync.data.from;
    if (!from.startsWith(`${DBT_SOURCE}.`)) continue;
    const node = dbt.manifest.relations.find((r) => r.name === from.slice(DBT_SOURCE.length + 1));
    if (!node?.columns) continue;
    const columns = node.columns;
    const check = (path: (string | number)[], column: string) => {
      if (columns.includes(column.toLowerCase())) return;
      const closest = closestName(column, columns);
      const hint = closest ? ` (did you mean '${closest}'?)` : '';
      issues.push(issueAt(sync.yaml, path, `dbt model '${node.name}' has no column '${column}'${hint}`));
    };
    check(['key'], sync.data.key);
    for (const [field, value] of Object.entries(sync.data.mappings)) {
      // Only plain column names: templates (`{{…}}`) are checked when the sync compiles.
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) check(['mappings', field], value);
    }
  }
  return issues;
}
