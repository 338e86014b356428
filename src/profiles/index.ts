/** Unified profiles: traits from profiles.yml computed per profile through the identity graph. */
export { buildProfiles, type ProfilesReport, profileTables } from './build.js';
export { ProfilesError } from './errors.js';
export { type PickRule, planTraits, type TraitInput, type TraitPlan } from './plan.js';
export { type TraitUnit, traitUnits, unitSelect } from './trait-sql.js';
