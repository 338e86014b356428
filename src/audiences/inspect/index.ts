/** Looking at built audiences: list with sizes and last change, preview with sample and overlaps. */
export { AudienceNotBuiltError, UnknownAudienceError } from './errors.js';
export { type AudienceListing, listAudiences } from './list.js';
export { type OverlapInput, overlapSql } from './overlap-sql.js';
export { type PreviewOptions, previewAudience } from './preview.js';
export type { AudienceOverlap, AudiencePreview } from './preview-types.js';
export { audienceView, findAudience, isBuilt } from './views.js';
