/** `--skip-backfill`: record the current plan as delivered without sending anything. */
import type { Warehouse } from '../../warehouse/types.js';
import { PLAN } from '../planner/plan-sql.js';
import type { ResolvedSync } from '../types.js';

/**
 * Statements that make the snapshot equal to the source as planned: changed and removed keys
 * are replaced or dropped, added and changed rows recorded with their hash (and the fast hash the
 * plan computed, labelled `fastScheme`, where the engine has one). Run in one transaction.
 */
export function adoptPlanStatements(
  warehouse: Warehouse,
  sync: ResolvedSync,
  runId: string,
  fastScheme?: string,
): string[] {
  const d = warehouse.dialect;
  const q = (name: string) => d.quoteIdent(name);
  const plan = d.qualify(sync.plan);
  const change = q(PLAN.change);
  return [
    `DELETE FROM ${d.qualify(sync.snapshot)} WHERE ${q('key')} IN (SELECT ${q(PLAN.key)} FROM ${plan} WHERE ${change} IN ('changed', 'removed'))`,
    d.insertSelect(
      sync.snapshot,
      [
        'key',
        'hash',
        'destination_id',
        'synced_at',
        'run_id',
        ...(fastScheme ? ['fast_hash', 'fast_scheme'] : []),
      ],
      `SELECT ${q(PLAN.key)}, ${q(PLAN.hash)}, ${q(PLAN.destinationId)}, ${d.literal(new Date())}, ${d.literal(runId)}${fastScheme ? `, ${q(PLAN.fastHash)}, ${d.literal(fastScheme)}` : ''} FROM ${plan} WHERE ${change} IN ('added', 'changed')`,
    ),
  ];
}
