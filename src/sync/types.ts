/** Shared shapes of the sync engine: plan counts, run summaries and the resolved sync. */

import type { SyncConfig } from '../config/types.js';
import type { IdentitySource } from '../identity/row-key.js';
import type { RelationRef } from '../warehouse/types.js';

/** How the planner classifies a source or snapshot row. `unchanged` rows are only counted. */
export type ChangeKind = 'added' | 'changed' | 'removed' | 'null_key' | 'duplicate_key';

/** Rows excluded from a plan because their key is unusable; they are never sent. */
export interface InvalidCounts {
  /** Source rows whose key is NULL. */
  null_keys: number;
  /** Source rows whose key appears more than once (all of them are excluded). */
  duplicate_keys: number;
}

/** What a plan found, in the `weft plan --json` shape. */
export interface PlanCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  invalid: InvalidCounts;
  /** Source rows left out because the person lacks a consent purpose the sync needs (syncs with `consent:`). */
  held_back_by_consent?: number;
}

/** A guardrail verdict: `tripped` stops the run before anything is sent. */
export interface GuardrailVerdict {
  tripped: boolean;
  /** Why it tripped (or would have, when overridden). */
  reason?: string;
  /** The limit applied, in percent of the snapshot. */
  max_delete_pct: number;
  /** True when `--allow-mass-delete` overrode a trip. */
  overridden?: boolean;
  /** The duplicate-key limit applied, in percent of the source rows. */
  max_duplicate_pct: number;
  /**
   * Set when more source rows than `max_duplicate_pct` share a key: they are not sent, and the
   * run ends `partial` (the key is probably not the right column). Never stops the run.
   */
  duplicates?: string;
}

/** Final status of a sync run. `running` only ever appears in `sync_runs` while a run is alive. */
export type RunStatus = 'running' | 'success' | 'partial' | 'failed';

/** One finished run, in the `weft sync --json` shape (plus extras). */
export interface RunSummary {
  sync: string;
  run_id: string;
  status: Exclude<RunStatus, 'running'>;
  added: number;
  changed: number;
  removed: number;
  succeeded: number;
  rejected: number;
  /** Records not acknowledged (retries exhausted or the run stopped): re-sent next run. */
  unacknowledged: number;
  duration_ms: number;
  error?: string;
}

/** A sync with the relations it reads and writes resolved. */
export interface ResolvedSync {
  config: SyncConfig;
  /** The source relation (model, `audience_<name>` view or source table). */
  source: RelationRef;
  /** `<state_schema>.snapshot_<sync>`: the acknowledged state. */
  snapshot: RelationRef;
  /** `<state_schema>.plan_<sync>`: the latest plan's non-unchanged rows. */
  plan: RelationRef;
  stateSchema: string;
  /** The consent the sync needs (its `consent:` purposes), resolved against weft.yml `privacy.consent`. */
  consent?: ConsentRule;
}

/** Purposes a sync needs and the signals that grant them (src/privacy/consent.ts). */
export interface ConsentRule {
  /** The profiles table holding the traits. */
  profiles: RelationRef;
  /** Where identity_map and identity_rows are (the project's schema). */
  schema: string;
  /** Where collected events land (weft.yml events.schema). */
  eventsSchema: string;
  /** Purpose → its signals; a purpose weft.yml does not declare maps to undefined. */
  purposes: Record<string, ConsentPurpose | undefined>;
}

/** Where one purpose's consent comes from: any mix of a trait, collected events, a source column. */
export interface ConsentPurpose {
  trait?: string;
  /** context.consent.categoryPreferences[category] of collected events, latest per person. */
  events?: { category: string; userIdType: string; anonymousIdType: string };
  /** A column of an identity source (`from`), its rows linked to people by identity_rows. */
  source?: { from: string; column: string; relation?: RelationRef; identity?: IdentitySource };
}
