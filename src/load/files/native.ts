/**
 * Loads files into a warehouse whose SQL reads them itself (DuckDB): one CREATE TABLE … AS
 * SELECT … FROM read_csv(…) into a scratch table, exact numeric types, then the atomic swap,
 * insert or merge of write.ts. No row passes through Node.
 */
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import type { RejectedLine } from '../types.js';
import { applyStaged, dropQuietly, prepareTarget, scratchRelation, type WriteOptions } from '../write.js';
import { exactTypes, numericShapes } from './numeric-text.js';
import { planRead } from './plan.js';
import { assertWithinLimit, collectRejects, dropRejects, rejectTables } from './rejects.js';
import { hasRejectableLines, type ReadSpec } from './spec.js';

/** What a load did: rows written and the lines skipped. */
export interface LoadedFiles {
  rowsLoaded: number;
  rejects: { count: number; lines: RejectedLine[] };
}

/** Loads `spec` into `target` with the warehouse's own file readers. */
export async function loadNative(
  warehouse: Warehouse,
  spec: ReadSpec,
  target: RelationRef,
  options: WriteOptions & { maxRejects: number },
): Promise<LoadedFiles> {
  const d = warehouse.dialect;
  let trusted: string[] = [];
  for (;;) {
    const plan = await planRead(warehouse, spec, { trusted });
    const names = plan.columns.map((c) => c.name);
    const before = await prepareTarget(warehouse, target, names, options);
    const scratch = scratchRelation(target);
    const rejectsAt = hasRejectableLines(spec.format) ? rejectTables() : undefined;
    try {
      await warehouse.execute(d.createTableAs(scratch, plan.select(rejectsAt)));
      const shapes = await numericShapes(warehouse, d.qualify(scratch), plan.numericText);
      const exact = exactTypes(shapes, plan.declared);
      if (Object.keys(exact.retry).length > 0 && trusted.length === 0) {
        // Not numbers after all (past DuckDB's sample): read them typed so the bad lines are rejected by number.
        spec = { ...spec, types: { ...spec.types, ...exact.retry } };
        trusted = Object.keys(exact.retry);
        continue;
      }
      const rejects = rejectsAt
        ? await collectRejects(warehouse, rejectsAt, spec.projectDir)
        : { count: 0, lines: [] };
      assertWithinLimit(rejects, options.maxRejects);
      for (const [name, type] of Object.entries(exact.types)) {
        if (type === 'VARCHAR') continue;
        const q = d.quoteIdent(name);
        await warehouse.execute(
          `ALTER TABLE ${d.qualify(scratch)} ALTER COLUMN ${q} SET DATA TYPE ${type} USING CAST(trim(${q}) AS ${type})`,
        );
      }
      const [counted] = await warehouse.query(`SELECT count(*) AS n FROM ${d.qualify(scratch)}`);
      await applyStaged(warehouse, scratch, target, names, before, options);
      return { rowsLoaded: Number(counted?.n ?? 0), rejects };
    } finally {
      await dropQuietly(warehouse, scratch);
      if (rejectsAt) await dropRejects(warehouse, rejectsAt);
    }
  }
}
