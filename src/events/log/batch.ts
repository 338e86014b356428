/** Builds a `LogBatch` over stored payloads, parsing them only if someone reads `events`. */
import type { CollectedEvent, LogBatch } from '../types.js';

const decoder = new TextDecoder();

/** A batch of `payloads` (each one event's JSON) acknowledged through `ack`. */
export function logBatch(payloads: readonly Uint8Array[], ack: () => Promise<void>): LogBatch {
  let events: CollectedEvent[] | undefined;
  return {
    count: payloads.length,
    payloads,
    get events() {
      events ??= payloads.map((payload) => JSON.parse(decoder.decode(payload)) as CollectedEvent);
      return events;
    },
    ack,
  };
}

/** A batch with no events. */
export function emptyLogBatch(): LogBatch {
  return logBatch([], async () => undefined);
}
