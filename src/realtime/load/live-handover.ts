/**
 * The hand-over from live identity to the build, run by the loader after each committed load:
 * the build's hub and shared values (identity_state_hubs) become the overlay's values never to
 * merge on, and the overlay records the load covers are dropped (../live/reconcile.ts).
 */
import { relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import { type HubValue, type ReconcileResult, reconcileLive, replaceHubs } from '../live/reconcile.js';
import type { ServingStore } from '../store/types.js';

/** The build's hubs and shared values (empty before the first identity build). */
export async function buildHubs(project: Project, warehouse: Warehouse): Promise<HubValue[]> {
  const ref = { schema: project.config.state_schema, name: 'identity_state_hubs' };
  if (!(await relationKind(warehouse, ref))) return [];
  const rows = await warehouse.query(
    `SELECT id_type, id_value, reason FROM ${warehouse.dialect.qualify(ref)}`,
  );
  return rows.map((r) => ({ type: String(r.id_type), value: String(r.id_value), reason: String(r.reason) }));
}

/** Hubs, then reconciliation, against the load that just committed. */
export async function handOverLive(
  project: Project,
  warehouse: Warehouse,
  store: ServingStore,
  loadStartedAt: Date,
): Promise<ReconcileResult> {
  await replaceHubs(store, await buildHubs(project, warehouse));
  return reconcileLive(store, { loadStartedAt });
}
