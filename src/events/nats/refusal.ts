/** Why JetStream refused an append, as back-pressure the collector can answer with 503. */
import { LogFullError } from '../types.js';

/**
 * Wraps a publish failure (stream full, no responders because JetStream or the stream is
 * unavailable, PubAck timeout while disconnected, closed connection) in a LogFullError: the
 * events are not durable, the client must retry later. The server's own reason is kept.
 */
export function refusal(error: unknown, stream: string): LogFullError {
  const reason = error instanceof Error ? error.message : String(error);
  const full = /maximum (bytes|messages)|resource limits exceeded|insufficient resources/i.test(reason);
  const why = full ? 'the stream is full' : 'JetStream did not acknowledge';
  const result = new LogFullError(
    `NATS JetStream refused the events (${why}: stream ${stream}: ${reason}); retry later`,
    full ? 5 : 1,
  );
  (result as Error).cause = error;
  return result;
}
