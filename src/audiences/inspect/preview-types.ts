/** What `weft audience preview` shows, whichever way it was read. */
import type { Row } from '../../warehouse/types.js';

/** Another audience's size and how many members it shares with the previewed one. */
export interface AudienceOverlap {
  audience: string;
  size: number;
  overlap: number;
}

/** What `previewAudience` returns. */
export interface AudiencePreview {
  name: string;
  description?: string;
  /**
   * Where the numbers come from: `members` = the members table written by the last build (as of
   * `builtAt`; live views may differ when `as_of` is not pinned), `views` = the views themselves
   * (no members table yet: an older build).
   */
  source: 'members' | 'views';
  /** When the build that wrote this audience's members ran (null from the views). */
  builtAt: Date | null;
  size: number;
  /** Members per split arm, in the order of `splits` (empty without splits). */
  arms: Array<{ arm: string; size: number }>;
  /** The view's columns, in order. */
  columns: string[];
  /** Up to `limit` members, ordered by profile id. */
  sample: Row[];
  /** Every other built audience, largest overlap first. */
  overlaps: AudienceOverlap[];
  /** Other audiences not built yet (left out of `overlaps`). */
  notBuilt: string[];
}

/** Overlap rows sorted largest overlap first, then by name. */
export function sortOverlaps(overlaps: AudienceOverlap[]): AudienceOverlap[] {
  return overlaps.sort((a, b) => b.overlap - a.overlap || a.audience.localeCompare(b.audience));
}
