/** Audiences: condition trees → SQL views `audience_<name>` over the profiles table. */
export { parseInstant, resolveAsOf } from './as-of.js';
export {
  type AudienceEvent,
  type AudiencesReport,
  type BuildAudiencesOptions,
  type BuiltAudience,
  buildAndMeasureAudiences,
  buildAudiences,
} from './build.js';
export {
  type AudienceEntry,
  type AudienceOptions,
  type CompiledArm,
  type CompiledAudience,
  compileAudiences,
  compileEach,
} from './compile.js';
export { AudienceError } from './errors.js';
export { type AudienceMeasure, measureMembers } from './measure.js';
export { audienceMembersRelation, MEMBER_COLUMNS } from './members.js';
export { audienceRelation } from './names.js';
export { SPLIT_COLUMN, type SplitArm, splitArmOf, splitArms, splitBucket } from './splits.js';
