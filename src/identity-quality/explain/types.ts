/** What `weft identity explain A B` answers. */

/** An identifier as the identity graph stores it. */
export interface IdentifierRef {
  type: string;
  value: string;
}

/** One of the two identifiers asked about, as the build sees it. */
export interface ExplainEndpoint {
  /** As typed, `type:value`. */
  input: string;
  type: string;
  /** Normalized value (NULL when normalization rejects it). */
  value: string | null;
  /** `used`: in identity_map; `excluded`: seen but not used for matching; `unknown`: never seen. */
  status: 'used' | 'excluded' | 'unknown';
  /** identity_occurrences.excluded_reason (blocklist, junk, invalid, hub…) when excluded. */
  excluded_reason?: string;
  profile_id?: string;
  /**
   * Notes on the value that do not stop it from matching: `phone_not_strictly_valid` (a
   * possible number outside its numbering plan, e.g. an exchange starting with 0 or 1).
   */
  flags?: string[];
}

/** One hop of an evidence path: an identity_edges row linking two identifiers. */
export interface EvidenceHop {
  from: IdentifierRef;
  to: IdentifierRef;
  source: string;
  row_key: string;
  first_seen_at: string | null;
  last_seen_at: string | null;
  row_count: number;
  used_for_merge: boolean;
  unused_reason: string | null;
}

/** Why the answer is what it is. */
export type ExplainReason =
  | 'same_identifier'
  | 'linked'
  | 'unknown_identifier'
  | 'excluded_value'
  | 'unused_edge'
  | 'no_evidence'
  | 'search_limit';

/** The answer: linked or not, the path, and a one-line explanation. */
export interface ExplainResult {
  linked: boolean;
  reason: ExplainReason;
  message: string;
  a: ExplainEndpoint;
  b: ExplainEndpoint;
  /** The shortest evidence path from A to B (for `unused_edge`: the one that would link them). */
  path: EvidenceHop[];
}
