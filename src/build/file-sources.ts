/**
 * File sources (`files:` in models/sources.yml), made available before the models run. On a
 * warehouse that reads files itself (DuckDB) a view reads them in place, or `materialized: true`
 * loads them into a table; elsewhere they are loaded into the table (replace, the code of `weft
 * load`) when they changed since the last load: a fingerprint of paths, sizes and mtimes is kept
 * in `<state_schema>.file_source_loads`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { matchFiles } from '../config/source-files.js';
import type { Project, SourceDef, SourceTableDef } from '../config/types.js';
import { inPlaceSelect } from '../load/files/in-place.js';
import { loadFilesInto } from '../load/files/load-into.js';
import type { ReadOptions } from '../load/files/spec.js';
import { canReadLocalFiles } from '../warehouse/abilities.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';

/** What preparing one file source did. */
export interface FileSourceOutcome {
  /** `source.table`. */
  name: string;
  relation: RelationRef;
  action: 'view' | 'loaded' | 'unchanged';
  /** Rows loaded (`loaded` only). */
  rows?: number;
}

/** A file source that could not be made available; names sources.yml, the table and the pattern. */
export class FileSourceError extends Error {
  override name = 'FileSourceError';
}

const STATE_TABLE = 'file_source_loads';

function readOptions(files: NonNullable<SourceTableDef['files']>): ReadOptions {
  return {
    ...(files.header !== undefined ? { header: files.header } : {}),
    ...(files.delimiter !== undefined ? { delimiter: files.delimiter } : {}),
    ...(files.types ? { types: files.types } : {}),
    ...(files.hivePartitioning ? { hivePartitioning: true } : {}),
  };
}

/** Paths, sizes and mtimes of the matched files plus the table's settings, hashed. */
function fingerprint(projectDir: string, table: SourceTableDef): string {
  const files = table.files!.patterns.flatMap((p) => matchFiles(projectDir, p));
  const stats = files.map((f) => {
    const stat = fs.statSync(f);
    return [f, stat.size, stat.mtimeMs];
  });
  return createHash('sha256')
    .update(JSON.stringify({ stats, files: table.files }))
    .digest('hex');
}

/** Makes every file source of the project readable under its relation. */
export async function prepareFileSources(
  project: Project,
  warehouse: Warehouse,
): Promise<FileSourceOutcome[]> {
  const outcomes: FileSourceOutcome[] = [];
  for (const source of project.sources) {
    for (const table of source.tables) {
      if (!table.files) continue;
      try {
        outcomes.push(await prepareOne(project, warehouse, source, table));
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        throw new FileSourceError(
          `models/sources.yml: file source ${source.name}.${table.name} (files: ${table.files.patterns.join(', ')}): ${text}`,
          { cause: error },
        );
      }
    }
  }
  return outcomes;
}

async function prepareOne(
  project: Project,
  warehouse: Warehouse,
  source: SourceDef,
  table: SourceTableDef,
): Promise<FileSourceOutcome> {
  const d = warehouse.dialect;
  const files = table.files!;
  const relation = { schema: source.schema, name: table.identifier };
  const name = `${source.name}.${table.name}`;
  await warehouse.execute(d.createSchema(relation.schema));
  const [existing] = await warehouse.query(d.relationKindQuery(relation));
  if (canReadLocalFiles(warehouse) && !files.materialized) {
    const select = await inPlaceSelect(
      warehouse,
      project.dir,
      files.patterns,
      files.format ?? 'auto',
      readOptions(files),
    );
    if (existing?.kind === 'table') await warehouse.execute(d.dropRelation(relation, 'table'));
    await warehouse.execute(d.createView(relation, select));
    return { name, relation, action: 'view' };
  }
  const state = { schema: project.config.state_schema, name: STATE_TABLE };
  const print = fingerprint(project.dir, table);
  const key = `source_name = ${d.literal(source.name)} AND table_name = ${d.literal(table.name)}`;
  await ensureStateTable(warehouse, state);
  const [last] = await warehouse.query(`SELECT fingerprint FROM ${d.qualify(state)} WHERE ${key}`);
  if (existing?.kind === 'table' && (last?.fingerprint ?? last?.FINGERPRINT) === print) {
    return { name, relation, action: 'unchanged' };
  }
  const loaded = await loadFilesInto(warehouse, relation, {
    patterns: files.patterns,
    format: files.format ?? 'auto',
    projectDir: project.dir,
    mode: 'replace',
    maxRejects: 0,
    ...readOptions(files),
  });
  await warehouse.execute(`DELETE FROM ${d.qualify(state)} WHERE ${key}`);
  await warehouse.execute(
    `INSERT INTO ${d.qualify(state)} (source_name, table_name, fingerprint, loaded_at) VALUES (${d.literal(source.name)}, ${d.literal(table.name)}, ${d.literal(print)}, ${d.literal(new Date())})`,
  );
  return { name, relation, action: 'loaded', rows: loaded.rowsLoaded };
}

async function ensureStateTable(warehouse: Warehouse, state: RelationRef): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.execute(d.createSchema(state.schema));
  if ((await warehouse.query(d.relationKindQuery(state))).length > 0) return;
  await warehouse.execute(
    d.createTable(state, [
      { name: 'source_name', type: 'string' },
      { name: 'table_name', type: 'string' },
      { name: 'fingerprint', type: 'string' },
      { name: 'loaded_at', type: 'timestamp' },
    ]),
  );
}
