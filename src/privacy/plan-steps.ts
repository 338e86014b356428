/**
 * Plans the ledger of new requests: one step per sync whose snapshot shows the destination
 * acknowledged the person, one per weft-owned store, one per source (its `privacy.delete`, or the
 * rows to delete elsewhere). Set-based: one query per sync for any number of requests.
 */
import { relationKind } from '../build/relations.js';
import type { Project, SyncConfig } from '../config/types.js';
import { modeRemoves } from '../destination-kit/index.js';
import { destinationFor } from '../sync/destination.js';
import { resolveSync } from '../sync/resolve.js';
import type { Warehouse } from '../warehouse/types.js';
import { hashExpr } from './hash.js';
import { insertSteps, type StepRow } from './ledger.js';
import type { PrivacyTables } from './tables.js';

/** Steps in weft's own tables, run by weft-data.ts. */
export const WEFT_STEPS = [
  'weft:identity',
  'weft:rejections',
  'weft:journals',
  'weft:events',
  'weft:serving',
] as const;

/** How a sync's destination erases, or why it cannot. */
export function erasureOf(
  project: Project,
  config: SyncConfig,
): {
  destination: string;
  action: string;
  primitive?: 'erase' | 'remove' | 'removeMembers';
  reason?: string;
} {
  const connection = project.config.connections[config.connection];
  let type = connection?.type ?? 'unknown';
  try {
    const { destination } = destinationFor(project, config);
    type = destination.type;
    if (destination.erase && destination.erasure)
      return { destination: type, action: destination.erasure.action, primitive: 'erase' };
    if (modeRemoves(config.mode)) {
      const primitive = config.mode === 'membership' ? 'removeMembers' : 'remove';
      return { destination: type, action: `${type}.${primitive}`, primitive };
    }
    return {
      destination: type,
      action: 'none',
      reason: `the ${type} destination has no deletion API weft can call (and mode '${config.mode}' never removes): erase the person there by hand`,
    };
  } catch (error) {
    return { destination: type, action: 'none', reason: (error as Error).message };
  }
}

/** Plans (but does not run) the steps of requests `requestIds`. */
export async function planSteps(
  project: Project,
  warehouse: Warehouse,
  tables: PrivacyTables,
  requestIds: string[],
): Promise<StepRow[]> {
  const d = warehouse.dialect;
  const steps: StepRow[] = [];
  const suppressionOf = `(SELECT DISTINCT request_id, id_hash FROM ${d.qualify(tables.suppressions)} WHERE request_id IN (${requestIds.map((id) => d.literal(id)).join(', ')}))`;
  for (const { value: config } of project.syncs) {
    const sync = resolveSync(project, config);
    if ((await relationKind(warehouse, sync.snapshot)) !== 'table') continue;
    const rows = await warehouse.query(`SELECT x.request_id, count(DISTINCT s.${d.quoteIdent('key')}) AS n
FROM ${d.qualify(sync.snapshot)} AS s JOIN ${suppressionOf} AS x ON x.id_hash = ${hashExpr(d, `s.${d.quoteIdent('key')}`)}
GROUP BY x.request_id`);
    const how = erasureOf(project, config);
    for (const row of rows) {
      steps.push({
        requestId: String(row.request_id),
        step: `sync:${config.name}`,
        system: config.connection,
        destination: how.destination,
        action: how.action,
        status: how.primitive ? 'pending' : 'unsupported',
        records: Number(row.n),
        ...(how.reason && { lastError: how.reason }),
      });
    }
  }
  for (const requestId of requestIds) {
    for (const step of WEFT_STEPS) {
      steps.push({
        requestId,
        step,
        system: 'weft',
        destination: step === 'weft:serving' ? 'serving_store' : 'warehouse',
        action: `delete_${step.slice('weft:'.length)}`,
        status: 'pending',
        records: 0,
      });
    }
  }
  steps.push(...(await sourceSteps(project, warehouse, requestIds, suppressionOf)));
  return steps;
}

/** A step per source: its `privacy.delete` statements, or the rows identity saw there (manual). */
async function sourceSteps(
  project: Project,
  warehouse: Warehouse,
  requestIds: string[],
  suppressionOf: string,
): Promise<StepRow[]> {
  const d = warehouse.dialect;
  const steps: StepRow[] = [];
  const rowsRef = { schema: project.config.schema, name: 'identity_rows' };
  const counts = new Map<string, number>();
  if (await relationKind(warehouse, rowsRef)) {
    // Rows per (request, source) that identity linked to the person (`shop.customers` → shop).
    const rows = await warehouse.query(`SELECT x.request_id, r.source, count(*) AS n
FROM ${d.qualify(rowsRef)} AS r JOIN ${suppressionOf} AS x ON x.id_hash = ${hashExpr(d, 'r.profile_id')}
GROUP BY x.request_id, r.source`);
    for (const row of rows) {
      const key = `${String(row.request_id)}\u0000${String(row.source).split('.')[0] ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(row.n));
    }
  }
  for (const source of project.sources) {
    for (const requestId of requestIds) {
      if (source.privacyDelete) {
        steps.push({
          requestId,
          step: `source:${source.name}`,
          system: source.name,
          destination: 'warehouse',
          action: 'privacy.delete',
          status: 'pending',
          records: 0,
        });
      } else if ((counts.get(`${requestId}\u0000${source.name}`) ?? 0) > 0) {
        const n = counts.get(`${requestId}\u0000${source.name}`) ?? 0;
        steps.push({
          requestId,
          step: `source:${source.name}`,
          system: source.name,
          destination: 'warehouse',
          action: 'list_rows',
          status: 'manual',
          records: n,
          lastError: `${n} row(s) of source '${source.name}' hold the person and it declares no privacy.delete in sources.yml: delete them where the data comes from (weft privacy export lists them)`,
        });
      }
    }
  }
  return steps;
}

/**
 * Snapshot rows of requests' people that appeared after their steps were planned (a sync that
 * was running when the request was filed, a journal merged later): their sync step becomes
 * pending again (inserted when missing) and the request open. Acknowledged and unsupported steps
 * dropped their rows from the snapshot, so rows found now are new; a failed step (the vendor
 * rejected the delete) keeps its rows and stays failed. Returns how many steps it reopened.
 */
export async function reopenLateTargets(
  project: Project,
  warehouse: Warehouse,
  tables: PrivacyTables,
  now: Date,
): Promise<number> {
  const d = warehouse.dialect;
  let reopened = 0;
  for (const { value: config } of project.syncs) {
    const sync = resolveSync(project, config);
    if ((await relationKind(warehouse, sync.snapshot)) !== 'table') continue;
    const step = d.literal(`sync:${config.name}`);
    const rows = await warehouse.query(`SELECT x.request_id, count(DISTINCT s.${d.quoteIdent('key')}) AS n
FROM ${d.qualify(sync.snapshot)} AS s
JOIN (SELECT DISTINCT request_id, id_hash FROM ${d.qualify(tables.suppressions)} WHERE request_id <> 'linked') AS x
  ON x.id_hash = ${hashExpr(d, `s.${d.quoteIdent('key')}`)}
LEFT JOIN ${d.qualify(tables.steps)} AS p ON p.request_id = x.request_id AND p.step = ${step}
WHERE p.status IS NULL OR p.status IN ('acknowledged', 'unsupported')
GROUP BY x.request_id`);
    if (rows.length === 0) continue;
    const how = erasureOf(project, config);
    const ids = rows.map((r) => String(r.request_id));
    const steps: StepRow[] = rows.map((row) => ({
      requestId: String(row.request_id),
      step: `sync:${config.name}`,
      system: config.connection,
      destination: how.destination,
      action: how.action,
      status: 'pending',
      records: Number(row.n),
    }));
    await insertSteps(warehouse, tables, steps, now);
    const list = ids.map((id) => d.literal(id)).join(', ');
    await warehouse.execute(
      `UPDATE ${d.qualify(tables.steps)} SET status = 'pending', updated_at = ${d.literal(now)} WHERE step = ${step} AND request_id IN (${list})`,
    );
    await warehouse.execute(
      `UPDATE ${d.qualify(tables.requests)} SET status = 'open', completed_at = NULL WHERE request_id IN (${list})`,
    );
    reopened += ids.length;
  }
  return reopened;
}
