/** Subject naming of the JetStream event log: `<prefix>.<source>`. */

/** Default stream name. */
export const DEFAULT_STREAM = 'WEFT_EVENTS';
/** Default durable consumer of the lander. */
export const DEFAULT_CONSUMER = 'weft_lander';
/** Default subject prefix: events of source `web` go to `weft.events.web`. */
export const DEFAULT_SUBJECT_PREFIX = 'weft.events';

/**
 * The subject an event of `source` is published on. A NATS subject token may not hold `.`,
 * `*`, `>` or whitespace; source names are identifiers, but MQTT mappings may name anything,
 * so other characters become `_`.
 */
export function subjectFor(prefix: string, source: string): string {
  const token = source.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
  return `${prefix}.${token}`;
}

/** The filter that captures every source under `prefix`. */
export function allSources(prefix: string): string {
  return `${prefix}.>`;
}
