/** Public types of the identity graph build. */

/** Progress events emitted while the identity graph is built. */
export type IdentityEvent =
  | { type: 'identity_start'; incremental: boolean; reason?: string }
  | { type: 'identity_step'; step: string; ms: number }
  | { type: 'identity_round'; round: number; changed: number; phase: 'components' | 'limits' }
  | { type: 'identity_done'; report: IdentityReport };

/** Options for `buildIdentity`. */
export interface BuildIdentityOptions {
  /** Rebuild everything from the sources, ignoring the incremental state. */
  fullRefresh?: boolean;
  /** Progress callback. */
  onEvent?: (event: IdentityEvent) => void;
}

/** A value found shared, and how many people's distinct evidence its rows carry. */
export interface SharedValue {
  id_type: string;
  id_value: string;
  persons: number;
}

/** A profile above `giant_component_size`. */
export interface GiantProfile {
  profile_id: string;
  identifiers: number;
}

/** What one identity build did and found. Counts describe the whole graph after the build. */
export interface IdentityReport {
  /** Normalized identifiers used for matching (rows of identity_map). */
  identifiers: number;
  profiles: number;
  /** Component rounds run by this build (large-star + small-star pairs) to find components. */
  rounds: number;
  /** Identifiers in the largest profile. */
  largest_profile: number;
  /** Distinct values excluded by the built-in junk list or the blocklist. */
  values_blocked: number;
  /**
   * Phones kept as identifiers (possible numbers) that break their numbering plan's strict
   * validity, e.g. a North American exchange starting with 0 or 1. Flagged, not dropped.
   */
  phones_not_strictly_valid: number;
  /** Values detected as hubs (linked to too many higher-priority ids). */
  hubs: number;
  /**
   * Values detected as shared (a role mailbox, a desk phone: several people's distinct evidence
   * on their rows): attached to those people's profiles (identity_shared), never merged on.
   */
  shared: number;
  /** The shared values linking the most people (at most 50), most people first. */
  shared_values: SharedValue[];
  /** Edges not used for merging because a max_per_profile limit split their component. */
  limits_applied: number;
  /** profile_merges rows written by this build with reason 'merge'. */
  merges: number;
  /** profile_merges rows written by this build with reason 'split'. */
  splits: number;
  /** True when only new source rows were processed. */
  incremental: boolean;
  /** Why a full rebuild ran (absent for incremental builds). */
  full_rebuild_reason?: string;
  /** Source rows processed by this build. */
  rows_processed: number;
  /** Rounds spent re-splitting components that broke a limit. */
  limit_rounds: number;
  /** Profiles above `giant_component_size` (largest first, at most 10). */
  giant_profiles: GiantProfile[];
  ms: number;
}
