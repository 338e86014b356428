/** destination-kit: everything a connector (destinations/*) and the sync runner need. */

// The sync mappings' template helpers, for connectors that render text (slack) with the same names.
export { type MappingHelper, mappingHelpers } from '../sync/mapping/helpers.js';
// Exact numbers (bigints, ExactNumbers) in request bodies, files and CSV cells: never rounded.
export { exactJson, parseExactJson } from '../warehouse/exact-json.js';
export { ExactNumber } from '../warehouse/exact-number.js';
export type { ContextOptions } from './context.js';
export { createDestinationContext, invokePrimitive, redactingLogger, silentLogger } from './context.js';
export { parseCsv } from './csv.js';
export { defineDestination } from './define.js';
export { eraseBatchLimits, eraseEach } from './erase.js';
export type { DestinationErrorKind, DestinationErrorOptions } from './errors.js';
export {
  classifyHttpResponse,
  classifyNetworkError,
  classifyResponse,
  DestinationError,
  isDestinationError,
  parseRetryAfter,
} from './errors.js';
export type { HttpClientOptions } from './http/client.js';
export { createHttpClient } from './http/client.js';
export type { HttpClient, HttpRequest, HttpResponse, RequestGate } from './http/types.js';
export type { QueueOptions } from './limits.js';
export {
  createDestinationQueue,
  effectiveLimits,
  queueOptionsFor,
  recordBytes,
  spreadRateLimit,
} from './limits.js';
export * from './match-keys/index.js';
export { modeRemoves, primitiveFor, requiredPrimitives, supportsMode } from './modes.js';
export { redact, redactHeaders } from './redact.js';
export {
  isSecretSchema,
  parseSettings,
  resolveSettingAliases,
  secret,
  secretSettingNames,
  secretSettingValues,
} from './settings.js';
export type * from './types.js';
