/**
 * Loads files into a warehouse that cannot read them (Postgres, BigQuery, Snowflake): a private
 * in-memory DuckDB reads them and streams chunks (bounded memory) into writeRows, which stages
 * them with the engine's bulk loader and applies them atomically.
 */
import { duckdbDialect as duck } from '../../warehouse/duckdb/dialect.js';
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import type { LoadProgress } from '../types.js';
import { type WriteOptions, writeRows } from '../write.js';
import type { LoadedFiles } from './native.js';
import { exactTypes, numericShapes } from './numeric-text.js';
import { planRead, type ReadPlan } from './plan.js';
import type { MemoryFileReader } from './reader.js';
import { assertWithinLimit, collectRejects, dropRejects, rejectTables } from './rejects.js';
import { hasRejectableLines, type ReadSpec } from './spec.js';
import { transferColumn } from './transfer.js';

const CHUNK_ROWS = 10_000;

/** Reads the numeric-text columns once to type them exactly; re-plans when some are no numbers. */
async function exactPlan(
  reader: MemoryFileReader,
  spec: ReadSpec,
): Promise<{ plan: ReadPlan; types: Map<string, string> }> {
  let plan = await planRead(reader, spec);
  const types = new Map(plan.columns.map((c) => [c.name, c.type]));
  if (plan.numericText.length === 0) return { plan, types };
  const probe = hasRejectableLines(spec.format) ? rejectTables() : undefined;
  try {
    const shapes = await numericShapes(reader, `(${plan.select(probe)})`, plan.numericText);
    const exact = exactTypes(shapes, plan.declared);
    const retry = Object.keys(exact.retry);
    if (retry.length > 0) {
      // Not numbers after all: read them typed so the bad lines are rejected by number.
      plan = await planRead(
        reader,
        { ...spec, types: { ...spec.types, ...exact.retry } },
        { trusted: retry },
      );
      for (const c of plan.columns) types.set(c.name, c.type);
    }
    for (const [name, type] of Object.entries(exact.types)) types.set(name, type);
    return { plan, types };
  } finally {
    if (probe) await dropRejects(reader, probe);
  }
}

/** Loads `spec` into `target` through `reader`. */
export async function loadStreamed(
  reader: MemoryFileReader,
  warehouse: Warehouse,
  spec: ReadSpec,
  target: RelationRef,
  options: WriteOptions & { maxRejects: number },
  progress: LoadProgress,
): Promise<LoadedFiles> {
  const { plan, types } = await exactPlan(reader, spec);
  const transfers = plan.columns.map((c) =>
    transferColumn(c.name, types.get(c.name) ?? c.type, warehouse.dialect),
  );
  const rejectsAt = hasRejectableLines(spec.format) ? rejectTables() : undefined;
  const read = `SELECT ${transfers.map((t) => `${t.select} AS ${duck.quoteIdent(t.name)}`).join(', ')} FROM (${plan.select(rejectsAt)})`;
  let rejects: LoadedFiles['rejects'] = { count: 0, lines: [] };
  async function* rows(): AsyncGenerator<unknown[]> {
    let count = 0;
    for await (const chunk of reader.stream(read, CHUNK_ROWS)) {
      for (const row of chunk) yield transfers.map((t) => row[t.name]);
      count += chunk.length;
      progress.onProgress?.({ rows: count });
    }
    if (rejectsAt) {
      rejects = await collectRejects(reader, rejectsAt, spec.projectDir);
      // Throwing here fails the staging: nothing reaches the target.
      assertWithinLimit(rejects, options.maxRejects);
    }
  }
  const expressions = Object.fromEntries(transfers.flatMap((t) => (t.target ? [[t.name, t.target]] : [])));
  try {
    const rowsLoaded = await writeRows(
      warehouse,
      target,
      transfers.map((t) => ({ name: t.name, type: t.type })),
      rows(),
      { ...options, expressions },
    );
    return { rowsLoaded, rejects };
  } finally {
    if (rejectsAt) await dropRejects(reader, rejectsAt);
  }
}
