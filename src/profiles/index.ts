/** Unified profiles: traits from profiles.yml computed per profile through the identity graph. */
export { buildProfiles, type ProfilesReport, profileTables } from './build.js';
export { ProfilesError } from './errors.js';
export { type PickRule, planTraits, type TraitInput, type TraitPlan } from './plan.js';
export { unitSelect } from './trait-sql.js';
export { type SharedSource, sharedSources, type TraitUnit, traitUnits } from './units.js';
