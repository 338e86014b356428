/**
 * The demo pipeline as the portable-SQL proof runs it, in process: seed, full build (models,
 * identity, profiles, audiences), an incremental build, and a plan of two syncs (a model and an
 * audience). Returns the statements each step sent (when the warehouse records them) and the
 * outputs to compare across engines.
 */

import { z } from 'zod';
import { buildProject } from '../../../src/build/index.js';
import type { Project } from '../../../src/config/types.js';
import { defineDestination } from '../../../src/destination-kit/index.js';
import { seedDemoData } from '../../../src/seed/seed.js';
import { previewSync } from '../../../src/sync/index.js';
import { runSync } from '../../../src/sync/run-sync.js';
import type { Row, Warehouse } from '../../../src/warehouse/types.js';

/** One step of the pipeline and the SQL it sent. */
export interface PipelineStep {
  name: string;
  statements: string[];
}

/** What a pipeline run produced. */
export interface PipelineRun {
  steps: PipelineStep[];
  /** Output name → rows as sorted text, comparable across engines. */
  outputs: Record<string, string[]>;
  /** Sync name → plan counts. */
  plans: Record<string, unknown>;
}

/** The syncs whose plans are compared: a model source and an audience source (no discovery calls). */
export const PLANNED_SYNCS = ['crm_contacts_webhook', 'vip_audience_webhook'];

/** The sync that is run (to an in-memory destination): a plan, pushes, journal merges, rejections. */
export const RUN_SYNC = 'crm_contacts_webhook';

/** Accepts every record but those whose key ends in 7, which it rejects (so rejections are merged too). */
function memoryDestination() {
  const received: string[] = [];
  const destination = defineDestination({
    type: 'portable_sql_memory',
    description: 'in-memory upsert target of the portable-SQL proof',
    settings: z.object({}),
    capabilities: { modes: ['upsert'], batch: { maxRecords: 25 }, concurrency: 1 },
    upsert: async (_ctx, records) =>
      records.map((record) => {
        received.push(record.key);
        return record.key.endsWith('7')
          ? { status: 'rejected' as const, reason: `refused ${record.key}` }
          : { status: 'ok' as const };
      }),
  });
  return { destination, received };
}

/** Rows as text, one line per row, columns in name order, sorted: equal across engines when the data is. */
export function rowsAsText(rows: Row[]): string[] {
  const show = (value: unknown): string => {
    if (value === null || value === undefined) return '∅';
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
    if (typeof value === 'bigint') return value.toString();
    return String(value);
  };
  return rows
    .map((row) =>
      Object.keys(row)
        .sort()
        .map((key) => `${key}=${show(row[key])}`)
        .join(' | '),
    )
    .sort();
}

function recorded(warehouse: Warehouse): string[] | undefined {
  return (warehouse as { statements?: string[] }).statements;
}

/** Runs the pipeline on `warehouse` for `project` with `people` seeded people. */
export async function runPipeline(
  project: Project,
  warehouse: Warehouse,
  people: number,
): Promise<PipelineRun> {
  const steps: PipelineStep[] = [];
  const step = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const log = recorded(warehouse);
    const start = log?.length ?? 0;
    const result = await body();
    steps.push({ name, statements: log ? log.slice(start) : [] });
    return result;
  };
  await step('seed', () => seedDemoData(warehouse, { people }));
  for (const [name, fullRefresh] of [
    ['build-full-refresh', true],
    ['build-incremental', false],
  ] as const) {
    const result = await step(name, () => buildProject(project, warehouse, { fullRefresh }));
    if (result.status !== 'success') {
      throw new Error(
        `${name} failed: ${JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 3000)}`,
      );
    }
  }
  const plans: Record<string, unknown> = {};
  for (const name of PLANNED_SYNCS) {
    const config = project.syncs.find((sync) => sync.value.name === name)?.value;
    if (!config) throw new Error(`The demo project has no sync ${name}`);
    const preview = await step(`plan-${name}`, () => previewSync(project, warehouse, config, { samples: 0 }));
    plans[name] = preview.counts;
  }
  const syncConfig = project.syncs.find((sync) => sync.value.name === RUN_SYNC)?.value;
  if (!syncConfig) throw new Error(`The demo project has no sync ${RUN_SYNC}`);
  const target = memoryDestination();
  const runs: unknown[] = [];
  for (const attempt of ['first', 'again']) {
    const outcome = await step(`sync-${RUN_SYNC}-${attempt}`, () =>
      runSync(project, warehouse, syncConfig, { destination: target.destination, releaseMemory: false }),
    );
    const { status, added, changed, removed, succeeded, rejected, unacknowledged, error } = outcome.summary;
    runs.push({
      status,
      added,
      changed,
      removed,
      succeeded,
      rejected,
      unacknowledged,
      error,
      sent: target.received.length,
    });
  }
  plans[`run-${RUN_SYNC}`] = runs;
  const d = warehouse.dialect;
  const table = (schema: string, name: string) => d.qualify({ schema, name });
  const outputs: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries({
    identity_map: `SELECT id_type, id_value, profile_id FROM ${table('weft', 'identity_map')}`,
    profiles: `SELECT * FROM ${table('weft', 'profiles')}`,
    audience_members: `SELECT * FROM ${table('weft', 'audience_members')}`,
    stg_shop_orders: `SELECT * FROM ${table('weft', 'stg_shop_orders')}`,
    synced_keys: `SELECT ${d.quoteIdent('key')} FROM ${table('weft_state', `snapshot_${RUN_SYNC}`)}`,
    rejections: `SELECT sync, ${d.quoteIdent('key')}, reason, attempts FROM ${table('weft_state', 'sync_rejections')}`,
  })) {
    outputs[name] = rowsAsText(await warehouse.query(sql));
  }
  return { steps, outputs, plans };
}
