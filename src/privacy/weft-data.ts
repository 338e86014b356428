/**
 * The steps in tables weft owns or is told about: identity outputs (apply-build.ts), sync
 * rejections, collected events (the `events` schema, when the collector landed any), and each
 * source's `privacy.delete` statements. Journals are merged into the snapshots under the sync's
 * lease before erasing (erase-sync.ts), so they hold nothing the snapshot does not.
 */
import { relationKind } from '../build/relations.js';
import type { Project, SourceDef } from '../config/types.js';
import { stateTables } from '../sync/state/tables.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { applySuppressions } from './apply-build.js';
import { hashExpr } from './hash.js';
import { requestHashes, type StepOutcome } from './ledger.js';
import { eventTables, suppressLinkedEventIds } from './linked-events.js';
import { eraseFromServingStore, projectServingStore } from './serving.js';
import type { PrivacyTables } from './tables.js';

/** Runs one weft or source step for requests `requestIds` at once; the outcome applies to each. */
export async function runWarehouseStep(
  project: Project,
  warehouse: Warehouse,
  tables: PrivacyTables,
  step: string,
  requestIds: string[],
  now: Date,
): Promise<StepOutcome> {
  const hashes = requestHashes(warehouse, tables, requestIds);
  try {
    if (step === 'weft:identity') {
      const { profiles } = await applySuppressions(project, warehouse, now);
      return { status: 'acknowledged', records: profiles };
    }
    if (step === 'weft:rejections') {
      const rejections = stateTables(project.config.state_schema).rejections;
      return {
        status: 'acknowledged',
        records: await deleteWhere(warehouse, rejections, hashed(warehouse, 'key', hashes)),
      };
    }
    if (step === 'weft:journals') return { status: 'acknowledged', records: 0 };
    if (step === 'weft:events') {
      // Events landed since the request was filed may link more of the person's ids.
      await suppressLinkedEventIds(warehouse, tables, requestIds, now);
      return { status: 'acknowledged', records: await deleteEvents(warehouse, hashes) };
    }
    if (step === 'weft:serving')
      return { status: 'acknowledged', records: await eraseServing(project, warehouse, hashes) };
    if (step.startsWith('source:')) {
      const source = project.sources.find((s) => s.name === step.slice('source:'.length));
      if (!source?.privacyDelete)
        return { status: 'failed', lastError: `source '${step}' declares no privacy.delete` };
      await runSourceDeletes(warehouse, source, hashes);
      return { status: 'acknowledged', records: source.privacyDelete.length };
    }
    return { status: 'failed', lastError: `unknown step '${step}'` };
  } catch (error) {
    // A statement failed (a table locked, a bad privacy.delete): retried on the next run.
    return { status: 'pending', lastError: (error as Error).message.split('\n')[0] ?? 'failed' };
  }
}

/** Erases the requests' people from the project's serving store, when it has one (serving.ts). */
async function eraseServing(project: Project, warehouse: Warehouse, hashes: string): Promise<number> {
  const store = projectServingStore(project);
  if (!store) return 0;
  try {
    const rows = await warehouse.query(`SELECT DISTINCT h.id_hash FROM ${hashes} AS h`);
    return await eraseFromServingStore(store, new Set(rows.map((r) => String(r.id_hash))));
  } finally {
    await store.close();
  }
}

function hashed(warehouse: Warehouse, column: string, hashes: string): string {
  return `${hashExpr(warehouse.dialect, warehouse.dialect.quoteIdent(column))} IN ${hashes}`;
}

/** Deletes the rows matching `where`; returns how many there were (0 when the table is missing). */
async function deleteWhere(warehouse: Warehouse, table: RelationRef, where: string): Promise<number> {
  if ((await relationKind(warehouse, table)) !== 'table') return 0;
  const d = warehouse.dialect;
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${d.qualify(table)} WHERE ${where}`);
  const n = Number(row?.n ?? 0);
  if (n > 0) await warehouse.execute(`DELETE FROM ${d.qualify(table)} WHERE ${where}`);
  return n;
}

/** Deletes the person's collected events from every table of the events schema. */
async function deleteEvents(warehouse: Warehouse, hashes: string): Promise<number> {
  let deleted = 0;
  for (const { table, columns } of await eventTables(warehouse)) {
    deleted += await deleteWhere(
      warehouse,
      table,
      columns.map((c) => hashed(warehouse, c, hashes)).join(' OR '),
    );
  }
  return deleted;
}

/**
 * Runs a source's `privacy.delete` statements: `{{hash column}}` becomes the hash of that column
 * (as suppressions store it), `{{suppressed}}` the requests' hashes (a subquery).
 */
export function renderSourceDelete(warehouse: Warehouse, statement: string, hashes: string): string {
  return statement
    .replace(/\{\{\s*suppressed\s*\}\}/g, hashes)
    .replace(/\{\{\s*hash\s+([^}]+?)\s*\}\}/g, (_, column: string) => hashExpr(warehouse.dialect, column));
}

async function runSourceDeletes(warehouse: Warehouse, source: SourceDef, hashes: string): Promise<void> {
  for (const statement of source.privacyDelete ?? []) {
    await warehouse.execute(renderSourceDelete(warehouse, statement, hashes));
  }
}
