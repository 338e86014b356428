/** Runs a sync's plan in the warehouse: the diff table, its counts, samples and guardrails. */
import { countRows, relationColumns, relationKind } from '../../build/relations.js';
import { consentHold } from '../../privacy/consent.js';
import { suppressedRows } from '../../privacy/sync-filter.js';
import { existingSuppressions } from '../../privacy/tables.js';
import { type CostEstimate, canEstimateCost } from '../../warehouse/abilities.js';
import type { Row, Warehouse } from '../../warehouse/types.js';
import type { RowMapper } from '../mapping/compile.js';
import { SyncConfigError } from '../resolve.js';
import { ensureSnapshot } from '../state/tables.js';
import type { ChangeKind, GuardrailVerdict, PlanCounts, ResolvedSync } from '../types.js';
import { fastHashOf } from './fast-hash.js';
import { checkGuardrails } from './guardrails.js';
import {
  markAddedDuplicatesSql,
  PLAN,
  type PlanSqlInput,
  planCountsSql,
  planDuplicateCheckSql,
  planTableSql,
} from './plan-sql.js';
import { countUnreadableRows, type UnreadableRows } from './unreadable.js';
import { checkWhere } from './where.js';

/** A computed plan. The plan table stays in the state schema until the next plan of this sync. */
export interface PlanResult {
  counts: PlanCounts;
  /** Rows in the snapshot when the plan was made. */
  snapshotRows: number;
  guardrail: GuardrailVerdict;
  ms: number;
  /**
   * What the plan's diff scanned, from a dry run, where the warehouse can price queries
   * (BigQuery): on-demand pricing bills these bytes. Absent elsewhere.
   */
  estimate?: CostEstimate;
  /** Rows to send that hold dates JavaScript cannot hold (each will be rejected); absent when none. */
  unreadable?: UnreadableRows;
}

/** Options of `planSync`. */
export interface PlanOptions {
  fullResync?: boolean;
  allowMassDelete?: boolean;
  /** Count the rows holding dates JavaScript cannot hold (`weft plan` warns about them). */
  countUnreadable?: boolean;
}

/** The source's columns; a missing source is a config problem naming what to run. */
export async function sourceColumns(warehouse: Warehouse, sync: ResolvedSync): Promise<string[]> {
  const columns = (await relationColumns(warehouse, sync.source)).map((c) => c.name);
  const where = `${sync.source.schema}.${sync.source.name}`;
  if (columns.length === 0) {
    throw new SyncConfigError(
      `sync '${sync.config.name}': its source '${sync.config.from}' (${where}) does not exist; run \`weft build\` first`,
    );
  }
  if (!columns.includes(sync.config.key)) {
    throw new SyncConfigError(
      `sync '${sync.config.name}': key '${sync.config.key}' is not a column of ${where} (columns: ${columns.join(', ')})`,
    );
  }
  return columns;
}

/** The source columns a plan hashes and copies: what the mapping reads, and the key. */
export function planColumns(sync: ResolvedSync, mapper: RowMapper): string[] {
  return [...new Set([...mapper.columns, sync.config.key])];
}

/** Diffs the source against the snapshot in one warehouse pass and checks guardrails. */
export async function planSync(
  warehouse: Warehouse,
  sync: ResolvedSync,
  mapper: RowMapper,
  options: PlanOptions = {},
): Promise<PlanResult> {
  const started = Date.now();
  await ensureSnapshot(warehouse, sync.snapshot);
  const columns = planColumns(sync, mapper);
  const suppressions = await existingSuppressions(warehouse, sync.stateSchema);
  const where = sync.config.where;
  const sourceCols =
    suppressions || sync.consent || where !== undefined
      ? (await relationColumns(warehouse, sync.source)).map((c) => c.name)
      : [];
  await checkWhere(warehouse, sync, sourceCols);
  const hold = sync.consent && (await consentHold(warehouse, sync.config.name, sync.consent, sourceCols));
  const suppressed = suppressions && suppressedRows(warehouse, suppressions, sourceCols, sync.config.key);
  // Consent holds rows back from the source only: a sent person who withdrew becomes `removed`.
  const exclude =
    suppressed || hold
      ? {
          source: [suppressed?.source, hold].filter(Boolean).join(' OR '),
          snapshot: suppressed?.snapshot ?? 'FALSE',
        }
      : undefined;
  const fast = await fastHashOf(warehouse);
  const input: PlanSqlInput = {
    source: sync.source,
    snapshot: sync.snapshot,
    plan: sync.plan,
    key: sync.config.key,
    columns,
    fingerprint: mapper.fingerprint,
    fullResync: Boolean(options.fullResync),
    ...(where !== undefined && { where }),
    ...(exclude && { exclude }),
    ...(fast && { fast }),
  };
  const planSql = planTableSql(warehouse.dialect, input);
  const estimate = canEstimateCost(warehouse) ? await warehouse.estimateCost(planSql) : undefined;
  if (fast && (await relationKind(warehouse, sync.source)) === 'table') {
    await planCheckingDuplicatesAfter(warehouse, input, planSql);
  } else {
    await warehouse.execute(planSql);
  }
  const [row] = await warehouse.query(planCountsSql(warehouse.dialect, sync.plan));
  const snapshotRows = await countRows(warehouse, sync.snapshot);
  const n = (name: string) => Number(row?.[name] ?? 0);
  const counts: PlanCounts = {
    added: n('added'),
    changed: n('changed'),
    removed: n('removed'),
    unchanged: snapshotRows - n('changed') - n('removed') - n('duplicate_keys_in_snapshot'),
    invalid: { null_keys: n('null_keys'), duplicate_keys: n('duplicate_keys') },
  };
  if (hold) {
    const [held] = await warehouse.query(
      `SELECT count(*) AS n FROM ${warehouse.dialect.qualify(sync.source)} WHERE ${where !== undefined ? `(${where}) AND ` : ''}(${hold})`,
    );
    counts.held_back_by_consent = Number(held?.n ?? 0);
  }
  const guardrail = checkGuardrails(sync.config, counts, snapshotRows, Boolean(options.allowMassDelete));
  const unreadable = options.countUnreadable
    ? await countUnreadableRows(warehouse, sync.plan, await relationColumns(warehouse, sync.source), columns)
    : undefined;
  return {
    counts,
    snapshotRows,
    guardrail,
    ms: Date.now() - started,
    ...(estimate ? { estimate } : {}),
    ...(unreadable ? { unreadable } : {}),
  };
}

/**
 * Plans without the aggregate over the source that finds repeated keys (on DuckDB it costs as
 * much again as the diff itself), then proves by counting that no key repeats; when one does
 * among rows matching the snapshot, plans again with the exact check. Counting a table is cheap;
 * a view would be evaluated again, so views always take the exact statement.
 */
async function planCheckingDuplicatesAfter(
  warehouse: Warehouse,
  input: PlanSqlInput,
  exactSql: string,
): Promise<void> {
  const { dialect } = warehouse;
  await warehouse.execute(planTableSql(dialect, { ...input, deferDuplicates: true }));
  const [check] = await warehouse.query(planDuplicateCheckSql(dialect, input));
  const n = (name: string) => Number(check?.[name] ?? 0);
  const expected = n('source_rows_in_plan') + n('snapshot_rows') - n('removed') - n('matched_in_plan');
  if (n('source_rows') !== expected) {
    await warehouse.execute(exactSql);
  } else if (n('added_repeats') > 0) {
    await warehouse.execute(markAddedDuplicatesSql(dialect, input.plan));
  }
}

/** Up to `limit` plan rows of one kind, for `weft plan`'s samples (internal columns stripped, key kept). */
export async function samplePlanRows(
  warehouse: Warehouse,
  sync: ResolvedSync,
  kind: ChangeKind,
  limit = 5,
): Promise<Row[]> {
  const { dialect } = warehouse;
  const rows = await warehouse.query(
    `SELECT * FROM ${dialect.qualify(sync.plan)} WHERE ${dialect.quoteIdent(PLAN.change)} = ${dialect.literal(kind)} ORDER BY ${dialect.quoteIdent(PLAN.key)} LIMIT ${Math.max(0, Math.floor(limit))}`,
  );
  return rows.map((r) => {
    const out: Row = { key: r[PLAN.key] };
    if (kind !== 'removed') {
      for (const [name, value] of Object.entries(r)) if (!name.startsWith('__weft_')) out[name] = value;
    }
    return out;
  });
}
