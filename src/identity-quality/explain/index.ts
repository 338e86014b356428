/** `weft identity explain`: evidence paths between identifiers. */
export {
  IdentifierInputError,
  type IdentityTables,
  identityTables,
  type Normalizer,
  parseIdentifier,
  resolveEndpoint,
} from './endpoints.js';
export { type ExplainOptions, explainLink } from './explain.js';
export { buildNormalizer, occurrenceNormalizer, sqlNormalizer } from './normalizers.js';
export { type SearchLimits, type SearchOutcome, shortestEvidencePath } from './path-search.js';
export type { EvidenceHop, ExplainEndpoint, ExplainReason, ExplainResult, IdentifierRef } from './types.js';
