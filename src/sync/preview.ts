/** `weft plan`: a plan without a run, written to its own table so it never disturbs a running sync. */
import type { Project, SyncConfig } from '../config/types.js';
import type { Row, Warehouse } from '../warehouse/types.js';
import type { RowMapper } from './mapping/compile.js';
import { type PlanOptions, type PlanResult, planSync, samplePlanRows } from './planner/plan.js';
import { prepareSync } from './run-sync.js';
import { ensureStateTables } from './state/tables.js';
import type { ChangeKind } from './types.js';

/** A previewed plan with sample rows per change kind. */
export interface PlanPreview extends PlanResult {
  samples: Partial<Record<ChangeKind, Row[]>>;
}

/** Plans one sync into `<state>.preview_<sync>`, samples it, and drops the table. */
export async function previewSync(
  project: Project,
  warehouse: Warehouse,
  config: SyncConfig,
  options: PlanOptions & { samples?: number } = {},
): Promise<PlanPreview> {
  const prepared = await prepareSync(project, warehouse, config);
  const sync = { ...prepared.sync, plan: { ...prepared.sync.plan, name: `preview_${config.name}` } };
  await ensureStateTables(warehouse, sync.stateSchema);
  const plan = await planSync(warehouse, sync, prepared.mapper, { ...options, countUnreadable: true });
  const samples: PlanPreview['samples'] = {};
  const kinds: ChangeKind[] = ['added', 'changed', 'removed', 'null_key', 'duplicate_key'];
  try {
    for (const kind of kinds) {
      const rows = await samplePlanRows(warehouse, sync, kind, options.samples ?? 3);
      // Added and changed rows are shown as they would be sent: mapped (or why they cannot be).
      const shown =
        kind === 'added' || kind === 'changed' ? rows.map((row) => mapSample(prepared.mapper, row)) : rows;
      if (shown.length > 0) samples[kind] = shown;
    }
  } finally {
    await warehouse.execute(warehouse.dialect.dropRelation(sync.plan, 'table'));
  }
  return { ...plan, samples };
}

function mapSample(mapper: RowMapper, row: Row): Row {
  const mapped = mapper.map(row);
  return mapped.ok ? { key: row.key, ...mapped.fields } : { key: row.key, rejected: mapped.reason };
}
