/**
 * The contracts of the live path: collect → log → land. The collector (src/serve, src/events)
 * validates Segment-style calls into `CollectedEvent`s and appends them to an `EventLog`; the
 * lander consumes the log in micro-batches and writes them to the warehouse exactly once per
 * `messageId`. MQTT ingestion appends to the same log. Two logs implement it: the embedded
 * file log (default) and NATS JetStream (several `weft serve` processes).
 */

/** Segment's call types. */
export type EventType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

/**
 * One validated event as it is logged: Segment's spec fields (camelCase, as sent), with the
 * batch-level `context`/`integrations` merged in and the server's stamps added.
 */
export interface CollectedEvent {
  messageId: string;
  type: EventType;
  /** The events source (weft.yml `events.sources` name, or the MQTT mapping's source). */
  source: string;
  userId?: string;
  anonymousId?: string;
  /** track: the event name; page/screen: `name`. */
  event?: string;
  name?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  /** group */
  groupId?: string;
  /** alias */
  previousId?: string;
  /** ISO instants. `timestamp` is corrected for client clock skew. */
  timestamp: string;
  originalTimestamp?: string;
  sentAt?: string;
  receivedAt: string;
}

/** A batch read from the log; `ack` once every event in it is in the warehouse. */
export interface LogBatch {
  /** How many events the batch holds. */
  readonly count: number;
  /** The events, parsed from `payloads` on first access. */
  readonly events: CollectedEvent[];
  /**
   * Each event's JSON text as the log stored it (UTF-8). The lander hands these to its worker
   * thread unparsed, so parsing a large batch never stalls the collector's event loop.
   */
  readonly payloads: readonly Uint8Array[];
  /** Marks the batch landed: the log may delete it. Idempotent. */
  ack(): Promise<void>;
}

/** How full the log is, for back-pressure and metrics. */
export interface LogStats {
  /** Events appended but not yet acknowledged as landed. */
  pending: number;
  /** Bytes on disk (embedded) or in the stream (NATS) not yet landed, when known. */
  pendingBytes?: number;
}

/** A durable, append-only event log shared by collectors (producers) and the lander (consumer). */
export interface EventLog {
  /**
   * Appends events; resolves only once they are durable (fsync'd to disk, or stored by
   * JetStream). Rejects with `LogFullError` when the log cannot take more now (back-pressure).
   */
  append(events: CollectedEvent[]): Promise<void>;
  /**
   * The next batch of at most `max` events not yet acknowledged, waiting up to `waitMs` for
   * some to arrive (an empty batch when none did). Events of an unacknowledged batch are
   * delivered again after a restart: the lander dedupes on `messageId`.
   */
  read(max: number, waitMs: number): Promise<LogBatch>;
  stats(): Promise<LogStats>;
  close(): Promise<void>;
}

/** The log refuses appends for now (disk full, too far behind): answer 429/503 with Retry-After. */
export class LogFullError extends Error {
  override name = 'LogFullError';
  constructor(
    message: string,
    /** Seconds a client should wait before retrying. */
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}
