import type { AudienceEvent } from '../audiences/index.js';
import type { Materialization } from '../config/types.js';
import type { IdentityEvent } from '../identity/index.js';
import type { RelationRef } from '../warehouse/types.js';
import type { StageResults } from './stages.js';

/** Options for `buildProject`. */
export interface BuildOptions {
  /**
   * dbt-style selection: `a`, `+a` (with ancestors), `a+` (with descendants); comma/space
   * separated. `identity`, `profiles` and `audiences` select those stages; a selection without
   * them runs only models.
   */
  select?: string;
  /** Rebuild incremental models from scratch. */
  fullRefresh?: boolean;
  /** Overrides for `weft.yml` vars. */
  vars?: Record<string, unknown>;
  /** Progress callback (the CLI prints from it). */
  onEvent?: (event: BuildEvent) => void;
  /** Identity progress (rounds), for the CLI. */
  onIdentityEvent?: (event: IdentityEvent) => void;
  /** Audience progress (one event per audience), for the CLI. */
  onAudienceEvent?: (event: AudienceEvent) => void;
}

/** How one model's build ended. */
export type ModelStatus = 'success' | 'error' | 'skipped';

/** One model's outcome. */
export interface ModelResult {
  name: string;
  /** Project-relative path of the model file. */
  path: string;
  relation: RelationRef;
  materialized: Materialization;
  status: ModelStatus;
  /** Rows inserted by this build (null for views, which write nothing; null when not run). */
  rows_written: number | null;
  /** Rows in the relation after the build (null when not run). */
  rows_total: number | null;
  ms: number;
  /** The warehouse's (or weft's) error message, when `status` is `error`. */
  error?: string;
  /** Why it was skipped: the failed ancestor, when `status` is `skipped`. */
  skipped_because?: string;
}

/**
 * The outcome of a build: `failed` when any model or stage failed (dependents are then skipped).
 * `identity` and `profiles` are present when those stages were due.
 */
export interface BuildResult extends StageResults {
  status: 'success' | 'failed';
  /** Selected models in build order. */
  models: ModelResult[];
  ms: number;
}

/** Progress events, in order: `model_start` then `model_done` per model (skipped ones only get `model_done`). */
export type BuildEvent =
  | {
      type: 'model_start';
      name: string;
      path: string;
      materialized: Materialization;
      index: number;
      total: number;
    }
  | { type: 'model_done'; name: string; result: ModelResult; index: number; total: number };
