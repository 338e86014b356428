/**
 * Guardrails against mass deletes: a mirror or membership run that would remove more than
 * `guardrails.max_delete_pct` of the snapshot (default 50), or any run whose source came back
 * empty while the snapshot is not, stops before anything is sent, unless `--allow-mass-delete`.
 */
import type { SyncConfig } from '../../config/types.js';
import type { GuardrailVerdict, PlanCounts } from '../types.js';

/** Used when a sync sets no `guardrails.max_delete_pct`. */
export const DEFAULT_MAX_DELETE_PCT = 50;

/** Used when a sync sets no `guardrails.max_duplicate_pct`. */
export const DEFAULT_MAX_DUPLICATE_PCT = 20;

/** Modes that send removals; guardrails only matter for them. */
export const REMOVING_MODES: ReadonlySet<SyncConfig['mode']> = new Set(['mirror', 'membership']);

/** Checks a plan against the sync's guardrails. */
export function checkGuardrails(
  config: SyncConfig,
  counts: PlanCounts,
  snapshotRows: number,
  allowMassDelete: boolean,
): GuardrailVerdict {
  const maxPct = config.guardrails?.max_delete_pct ?? DEFAULT_MAX_DELETE_PCT;
  const maxDuplicatePct = config.guardrails?.max_duplicate_pct ?? DEFAULT_MAX_DUPLICATE_PCT;
  const verdict: GuardrailVerdict = {
    tripped: false,
    max_delete_pct: maxPct,
    max_duplicate_pct: maxDuplicatePct,
  };
  const sourceRows =
    counts.added +
    counts.changed +
    counts.unchanged +
    counts.invalid.null_keys +
    counts.invalid.duplicate_keys;
  const duplicates = counts.invalid.duplicate_keys;
  if (sourceRows > 0 && (duplicates / sourceRows) * 100 > maxDuplicatePct) {
    verdict.duplicates = `${duplicates} of ${sourceRows} source rows (${((duplicates / sourceRows) * 100).toFixed(1)}%) share their key '${config.key}' with another row and were not sent, over max_duplicate_pct ${maxDuplicatePct}%: is '${config.key}' the column that identifies a row?`;
  }
  if (!REMOVING_MODES.has(config.mode) || snapshotRows === 0 || counts.removed === 0) return verdict;
  const pct = (counts.removed / snapshotRows) * 100;
  let reason: string | undefined;
  if (sourceRows === 0) {
    reason = `the source returned no rows: removing all ${snapshotRows} synced records`;
  } else if (pct > maxPct) {
    reason = `removing ${counts.removed} of ${snapshotRows} synced records (${pct.toFixed(1)}%) exceeds max_delete_pct ${maxPct}%`;
  }
  if (!reason) return verdict;
  return allowMassDelete
    ? { ...verdict, reason, overridden: true }
    : {
        ...verdict,
        tripped: true,
        reason: `${reason}; nothing was sent (use --allow-mass-delete if this is intended)`,
      };
}
