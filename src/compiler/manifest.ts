/**
 * `target/manifest.json` and `target/compiled/**`: what `weft compile` writes. The manifest's
 * keys are sorted at every level so it diffs well between runs.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CompiledModel, CompiledProject } from './compile.js';
import { weftVersion } from './version.js';

/** The manifest's JSON shape. Node ids are `model.<name>`, source ids `source.<source>.<table>`. */
export interface Manifest {
  weft_version: string;
  generated_at: string;
  project: string;
  dialect: string;
  nodes: Record<string, Record<string, unknown>>;
  sources: Record<string, Record<string, unknown>>;
  /** `[parent id, child id]` pairs, sorted. */
  edges: Array<[string, string]>;
  /** id → ids it reads (models and sources). */
  parent_map: Record<string, string[]>;
  /** id → ids that read it. */
  child_map: Record<string, string[]>;
}

/** Where a model's compiled SQL goes, relative to the target directory. */
export function compiledPath(model: Pick<CompiledModel, 'path'>): string {
  return path.posix.join('compiled', model.path.endsWith('.sql') ? model.path : `${model.path}.sql`);
}

/** Builds the manifest (pass `generatedAt` for reproducible output in tests). */
export function buildManifest(compiled: CompiledProject, generatedAt: Date = new Date()): Manifest {
  const nodes: Manifest['nodes'] = {};
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const source of compiled.sources) childMap[`source.${source.name}`] = [];
  for (const model of compiled.models) childMap[`model.${model.name}`] = [];

  for (const model of compiled.models) {
    const id = `model.${model.name}`;
    const parents = [
      ...model.depends_on.models.map((name) => `model.${name}`),
      ...model.depends_on.sources.map((name) => `source.${name}`),
    ].sort();
    parentMap[id] = parents;
    for (const parent of parents) childMap[parent]?.push(id);
    nodes[id] = {
      ...model.config,
      name: model.name,
      path: model.path,
      relation: model.relation,
      depends_on: { models: model.depends_on.models, sources: model.depends_on.sources },
      compiled_path: compiledPath(model),
      checksum: sha256(model.raw_sql),
    };
  }
  const sources: Manifest['sources'] = {};
  for (const source of compiled.sources) sources[`source.${source.name}`] = { ...source };
  for (const children of Object.values(childMap)) children.sort();
  const edges = Object.entries(parentMap)
    .flatMap(([child, parents]) => parents.map((parent): [string, string] => [parent, child]))
    .sort((a, b) => compareText(a.join('\0'), b.join('\0')));

  return sortKeysDeep({
    weft_version: weftVersion(),
    generated_at: generatedAt.toISOString(),
    project: compiled.project,
    dialect: compiled.dialect,
    nodes,
    sources,
    edges,
    parent_map: parentMap,
    child_map: childMap,
  });
}

/**
 * Writes `<targetDir>/compiled/<model path>` for every model and `<targetDir>/manifest.json`.
 * The old `compiled/` folder is removed first so deleted models do not linger.
 */
export async function writeCompiled(
  compiled: CompiledProject,
  targetDir: string,
  options: { generatedAt?: Date } = {},
): Promise<Manifest> {
  await rm(path.join(targetDir, 'compiled'), { recursive: true, force: true });
  for (const model of compiled.models) {
    const file = path.join(targetDir, compiledPath(model));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, model.sql);
  }
  const manifest = buildManifest(compiled, options.generatedAt);
  await writeFile(path.join(targetDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy with object keys sorted at every level (array order is kept). */
function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compareText(a, b));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)])) as T;
}
