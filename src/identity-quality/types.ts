/** What the identity quality measurement reports. */

/** Pairwise counts and scores: pairs of records placed together vs truly together. */
export interface PairwiseScores {
  /** correct_pairs / predicted_pairs (1 when nothing was merged). */
  precision: number;
  /** found_pairs / linkable_pairs (1 when nothing is linkable). */
  recall: number;
  f1: number;
  /** Record pairs sharing a profile. */
  predicted_pairs: number;
  /** ...of which both records belong to the same true person. */
  correct_pairs: number;
  /** Record pairs sharing a truth cluster (same person, linked by that person's own values). */
  linkable_pairs: number;
  /** ...of which both records share a profile. */
  found_pairs: number;
}

/** B-cubed scores: per-record precision and recall, averaged over records. */
export interface BCubedScores {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Over-merged profiles by what their persons have in common (from the seed's truth: see
 * causes.ts). The four add up to over_merged_profiles.
 */
export interface OverMergeCauses {
  /** No family or other value in common (shared_value), but two of its persons carry the same role mailbox (info@, sales@, contact@, office@ of a company). */
  role_mailbox: number;
  /** ...else the same desk phone. */
  desk_phone: number;
  /** Two of its persons carry a value that is neither a role mailbox nor a desk phone (a family address, a shared device): counted first, it joins them on its own. */
  shared_value: number;
  /** Its persons carry no value in common: joined through a chain. */
  other: number;
}

/** One resolver's result measured against the seeded ground truth. */
export interface QualityReport {
  /** Which resolver: `weft` (identity_rows) or `naive` (naive_identity_rows), or a label given. */
  resolver: string;
  /** Identity source rows carrying at least one identifier (the records measured). */
  records: number;
  /** Records the resolver placed in no profile (each counts as a profile of its own). */
  unresolved_records: number;
  /** True people behind the records. */
  persons: number;
  /** Distinct profiles of resolved records. */
  profiles: number;
  pairwise: PairwiseScores;
  bcubed: BCubedScores;
  /** Profiles holding records of more than one true person. */
  over_merged_profiles: number;
  /** The over-merged profiles by cause. */
  over_merged_by_cause: OverMergeCauses;
  /** People with a truth cluster spread over several profiles (a split the evidence did not call for). */
  split_persons: number;
  /** People whose records end up in several profiles for any reason, unlinkable ones included. */
  persons_in_several_profiles: number;
  /** The largest profile: records, and true people among them. */
  largest_profile: { records: number; persons: number };
}
