/**
 * Validation of references to dbt models: an unknown model names the closest one in the
 * manifest (renames usually add a prefix, e.g. customers → dim_customers), and a sync's key and
 * column mappings, identity ids and trait columns must be columns of the model (when catalog.json
 * lists its columns).
 */
import type { ConfigIssue } from '../config/issues.js';
import type { LoadedFile } from '../config/load-yaml.js';
import type { IdentityConfig, ProfilesConfig, SyncConfig } from '../config/types.js';
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

/** The files whose column references `checkDbtColumns` checks. */
export interface DbtColumnRefs {
  identity?: LoadedFile<{ identity: IdentityConfig }>;
  profiles?: LoadedFile<{ profiles: ProfilesConfig }>;
  syncs: LoadedFile<SyncConfig>[];
}

/**
 * Columns named for a dbt model that catalog.json says it lacks: a sync's key and plain-column
 * mappings, an identity source's ids/key/timestamp, a trait's column/order_by.
 */
export function checkDbtColumns(dbt: LoadedDbt, refs: DbtColumnRefs): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const columnsOf = (from: string) =>
    from.startsWith(`${DBT_SOURCE}.`)
      ? dbt.manifest.relations.find((r) => r.name === from.slice(DBT_SOURCE.length + 1))
      : undefined;
  const check = (file: LoadedFile<unknown>, from: string, path: (string | number)[], column?: string) => {
    const node = columnsOf(from);
    if (column === undefined || !node?.columns || node.columns.includes(column.toLowerCase())) return;
    const closest = closestName(column, node.columns);
    const hint = closest ? ` (did you mean '${closest}'?)` : '';
    issues.push(issueAt(file.yaml, path, `dbt model '${node.name}' has no column '${column}'${hint}`));
  };
  refs.identity?.data.identity.sources.forEach((source, i) => {
    const at = ['identity', 'sources', i];
    for (const [type, column] of Object.entries(source.ids))
      check(refs.identity!, source.from, [...at, 'ids', type], column);
    check(refs.identity!, source.from, [...at, 'key'], source.key);
    check(refs.identity!, source.from, [...at, 'timestamp'], source.timestamp);
  });
  for (const [name, trait] of Object.entries(refs.profiles?.data.profiles.traits ?? {})) {
    for (const from of Array.isArray(trait.from) ? trait.from : [trait.from]) {
      check(refs.profiles!, from, ['profiles', 'traits', name, 'column'], trait.column);
      check(refs.profiles!, from, ['profiles', 'traits', name, 'order_by'], trait.order_by);
    }
  }
  for (const sync of refs.syncs) {
    check(sync, sync.data.from, ['key'], sync.data.key);
    for (const [field, value] of Object.entries(sync.data.mappings)) {
      // Only plain column names: templates (`{{…}}`) are checked when the sync compiles.
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) check(sync, sync.data.from, ['mappings', field], value);
    }
  }
  return issues;
}
