/**
 * Reads a dbt project's target/manifest.json (and, when present, target/catalog.json): the
 * relations dbt built (models, seeds, snapshots), their columns, and the tests on each.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** Resource types whose node is a relation weft can read. */
const RELATION_TYPES = new Set(['model', 'seed', 'snapshot']);

/** One relation dbt built. */
export interface DbtRelationNode {
  /** `model.jaffle_shop.customers`. */
  uniqueId: string;
  /** The name in `ref('…')` and in weft's `dbt.<name>`. */
  name: string;
  resourceType: 'model' | 'seed' | 'snapshot';
  database?: string;
  schema: string;
  /** The relation's name in the warehouse (`alias`, else `name`). */
  identifier: string;
  /** Column names, lower-cased: from catalog.json when it lists the node, else undefined. */
  columns?: string[];
  /** Columns documented in the manifest (schema.yml), lower-cased. */
  documentedColumns: string[];
  /** The dbt nodes this one reads (`model.…`, `seed.…`). */
  dependsOn: string[];
}

/** A dbt test and the nodes it checks. */
export interface DbtTestNode {
  uniqueId: string;
  name: string;
  dependsOn: string[];
}

/** What weft uses of a dbt project. */
export interface DbtManifest {
  /** The dbt project's name (metadata.project_name). */
  projectName?: string;
  /** Enabled, non-ephemeral relations, sorted by name. */
  relations: DbtRelationNode[];
  tests: DbtTestNode[];
  /** True when catalog.json was found next to the manifest. */
  hasCatalog: boolean;
}

/** A manifest that is missing or unreadable: the message says what to run. */
export class DbtManifestError extends Error {
  override name = 'DbtManifestError';
}

/** Where the manifest of `dbt` lives, absolute. */
export function manifestPath(projectDir: string, dbt: { project_dir: string; manifest?: string }): string {
  return path.resolve(projectDir, dbt.project_dir, dbt.manifest ?? 'target/manifest.json');
}

type Json = Record<string, unknown>;

/** Reads and normalizes the manifest at `file` (and catalog.json beside it). */
export async function readDbtManifest(file: string): Promise<DbtManifest> {
  const manifest = await readJson(file, 'manifest', true);
  const nodes = manifest.nodes;
  if (typeof nodes !== 'object' || nodes === null)
    throw new DbtManifestError(`${file} has no "nodes": it is not a dbt manifest.json`);
  const catalog = await readJson(path.join(path.dirname(file), 'catalog.json'), 'catalog', false);
  const catalogNodes = (catalog.nodes ?? {}) as Record<string, Json>;
  const relations: DbtRelationNode[] = [];
  const tests: DbtTestNode[] = [];
  for (const node of Object.values(nodes as Record<string, Json>)) {
    const type = String(node.resource_type ?? '');
    const config = (node.config ?? {}) as Json;
    if (config.enabled === false) continue;
    const dependsOn = (((node.depends_on ?? {}) as Json).nodes ?? []) as string[];
    if (type === 'test') {
      tests.push({ uniqueId: String(node.unique_id), name: String(node.name), dependsOn });
      continue;
    }
    if (!RELATION_TYPES.has(type) || config.materialized === 'ephemeral') continue;
    const uniqueId = String(node.unique_id);
    const catalogColumns = catalogNodes[uniqueId]?.columns as Record<string, Json> | undefined;
    const relation: DbtRelationNode = {
      uniqueId,
      name: String(node.name),
      resourceType: type as DbtRelationNode['resourceType'],
      schema: String(node.schema),
      identifier: String(node.alias ?? node.name),
      documentedColumns: Object.keys((node.columns ?? {}) as Json).map((c) => c.toLowerCase()),
      dependsOn,
    };
    if (typeof node.database === 'string') relation.database = node.database;
    if (catalogColumns)
      relation.columns = Object.values(catalogColumns).map((c) => String(c.name).toLowerCase());
    relations.push(relation);
  }
  relations.sort((a, b) => compare(a.name, b.name) || compare(a.uniqueId, b.uniqueId));
  tests.sort((a, b) => compare(a.name, b.name));
  const metadata = (manifest.metadata ?? {}) as Json;
  const result: DbtManifest = { relations, tests, hasCatalog: catalog.nodes !== undefined };
  if (typeof metadata.project_name === 'string') result.projectName = metadata.project_name;
  return result;
}

async function readJson(file: string, what: string, required: boolean): Promise<Json> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (!required) return {};
    const code = (error as NodeJS.ErrnoException).code;
    throw new DbtManifestError(
      `cannot read dbt ${what} ${file}${code === 'ENOENT' ? ' (no such file)' : `: ${(error as Error).message}`}`,
    );
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Json;
  } catch (error) {
    throw new DbtManifestError(`dbt ${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Plain code-point order (deterministic whatever the locale). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
