/**
 * The console's sync pages: every sync's health (failures first), one sync's run history, and one
 * run with its rejections grouped by masked reason, each rejected row's payload (the source row as
 * the mapping sends it) and the destination's message. Reads the state tables `weft runs` reads.
 */
import { relationColumns, relationKind } from '../../build/relations.js';
import type { Project } from '../../config/types.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import { compileMappings } from '../../sync/mapping/compile.js';
import { resolveSync } from '../../sync/resolve.js';
import { maskReason } from '../../sync/state/mask-reason.js';
import { stateTables } from '../../sync/state/tables.js';
import type { Row, Warehouse } from '../../warehouse/types.js';
import { ConsoleError } from './context.js';

/** Rejected rows shown per reason on a run's page. */
const ROWS_PER_REASON = 20;

/** One sync on the overview. */
export interface SyncHealth {
  name: string;
  from: string;
  connection: string;
  destination: string;
  mode: string;
  /** The last run (null: never ran). */
  last: Row | null;
  /** Keys the destination currently rejects. */
  rejected_now: number;
}

const RANK: Record<string, number> = { failed: 0, partial: 1, running: 2, never: 3, success: 4 };

/** Every sync with its last run and current rejections, failures first. */
export async function syncHealth(project: Project, warehouse: Warehouse): Promise<SyncHealth[]> {
  const d = warehouse.dialect;
  const { runs, rejections } = stateTables(project.config.state_schema);
  const last = new Map<string, Row>();
  const rejected = new Map<string, number>();
  if (await relationKind(warehouse, runs)) {
    const rows = await warehouse.query(
      `SELECT * FROM (SELECT r.*, row_number() OVER (PARTITION BY sync ORDER BY started_at DESC, run_id DESC) AS weft_n FROM ${d.qualify(runs)} AS r) AS t WHERE weft_n = 1`,
    );
    for (const { weft_n: _n, ...row } of rows) last.set(String(row.sync), jsonValue(row) as Row);
  }
  if (await relationKind(warehouse, rejections)) {
    const rows = await warehouse.query(
      `SELECT sync, count(*) AS n FROM ${d.qualify(rejections)} GROUP BY sync`,
    );
    for (const row of rows) rejected.set(String(row.sync), Number(row.n));
  }
  const health = project.syncs.map(({ value: s }) => ({
    name: s.name,
    from: s.from,
    connection: s.connection,
    destination: project.config.connections[s.connection]?.type ?? 'unknown',
    mode: s.mode,
    last: last.get(s.name) ?? null,
    rejected_now: rejected.get(s.name) ?? 0,
  }));
  const rank = (h: SyncHealth) => RANK[String(h.last?.status ?? 'never')] ?? 3;
  return health.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The latest `limit` runs of `sync`, oldest first (for the chart). */
export async function syncRuns(
  project: Project,
  warehouse: Warehouse,
  sync: string,
  limit = 50,
): Promise<Row[]> {
  if (!project.syncs.some((s) => s.value.name === sync))
    throw new ConsoleError(404, `no sync named '${sync}'`);
  const d = warehouse.dialect;
  const { runs } = stateTables(project.config.state_schema);
  if (!(await relationKind(warehouse, runs))) return [];
  const rows = await warehouse.query(
    `SELECT * FROM ${d.qualify(runs)} WHERE sync = ${d.literal(sync)} ORDER BY started_at DESC, run_id DESC LIMIT ${limit}`,
  );
  return rows.reverse().map((r) => jsonValue(r) as Row);
}

/** One rejected row: its key, what weft sent (mapped), and what the destination answered. */
export interface RejectedRow {
  key: string;
  reason: string;
  attempts: number;
  payload: Row | null;
}

/** One run with its rejections grouped by masked reason (largest group first). */
export async function runDetail(
  project: Project,
  warehouse: Warehouse,
  runId: string,
): Promise<{ run: Row; groups: Array<{ reason: string; count: number; rows: RejectedRow[] }> }> {
  const d = warehouse.dialect;
  const { runs, rejections } = stateTables(project.config.state_schema);
  const found = (await relationKind(warehouse, runs))
    ? await warehouse.query(`SELECT * FROM ${d.qualify(runs)} WHERE run_id = ${d.literal(runId)}`)
    : [];
  const run = found[0];
  if (!run) throw new ConsoleError(404, `no run '${runId}'`);
  const rejected = (await relationKind(warehouse, rejections))
    ? await warehouse.query(
        `SELECT key, reason, attempts FROM ${d.qualify(rejections)} WHERE run_id = ${d.literal(runId)} ORDER BY key`,
      )
    : [];
  const payloads = await rejectedPayloads(
    project,
    warehouse,
    String(run.sync),
    rejected.map((r) => String(r.key)),
  );
  const groups = new Map<string, RejectedRow[]>();
  for (const row of rejected) {
    const reason = String(row.reason);
    const masked = maskReason(reason);
    const key = String(row.key);
    groups.set(masked, [
      ...(groups.get(masked) ?? []),
      { key, reason, attempts: Number(row.attempts), payload: payloads.get(key) ?? null },
    ]);
  }
  return {
    run: jsonValue(run) as Row,
    groups: [...groups.entries()]
      .map(([reason, rows]) => ({ reason, count: rows.length, rows: rows.slice(0, ROWS_PER_REASON) }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

/** The rejected keys' source rows, mapped as the sync sends them (empty when the source is gone). */
async function rejectedPayloads(
  project: Project,
  warehouse: Warehouse,
  syncName: string,
  keys: string[],
): Promise<Map<string, Row>> {
  const out = new Map<string, Row>();
  const config = project.syncs.find((s) => s.value.name === syncName)?.value;
  if (!config || keys.length === 0) return out;
  const sync = resolveSync(project, config);
  const columns = (await relationColumns(warehouse, sync.source)).map((c) => c.name);
  if (!columns.includes(config.key)) return out;
  const d = warehouse.dialect;
  const keyExpr = d.cast(d.quoteIdent(config.key), 'string');
  const shown = keys.slice(0, 500);
  const rows = await warehouse.query(
    `SELECT * FROM ${d.qualify(sync.source)} WHERE ${keyExpr} IN (${shown.map((k) => d.literal(k)).join(', ')})`,
  );
  let mapper: ReturnType<typeof compileMappings> | undefined;
  try {
    mapper = compileMappings(config.mappings, columns, undefined);
  } catch {
    mapper = undefined;
  }
  for (const row of rows) {
    const mapped = mapper?.map(row);
    out.set(String(row[config.key]), jsonValue(mapped?.ok ? mapped.fields : row) as Row);
  }
  return out;
}
