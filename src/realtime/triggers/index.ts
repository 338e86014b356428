/** Triggers: live events → a condition over the live profile → a message to a connection. */
export {
  type DeliveryOutcome,
  openTriggerConnection,
  type TriggerConnection,
  TriggerConnectionError,
} from './connection.js';
export { capKey, type Decision, decide } from './decide.js';
export {
  startTriggers,
  type TriggerEngine,
  type TriggerEngineOptions,
  type TriggerEngineStats,
} from './engine.js';
export { matchesOn } from './event-match.js';
export { DEFAULT_ID_TYPES, eventIdentifiers, findPerson, type IdTypeNames } from './lookup.js';
export { type Candidate, firingIdOf, matchEvents } from './match.js';
export { evaluateCondition, profileFacts } from './profile-condition.js';
export { quietUntil, quietZone } from './quiet-hours.js';
export { type RenderedMessage, renderContext, renderMessage } from './render.js';
export { TRIGGER_RUNS_COLUMNS, type TriggerRunRow, TriggerRuns, triggerRunsTable } from './runs-table.js';
