/** The event log a project uses: embedded files (default) or NATS JetStream, by `events.log`. */
import path from 'node:path';
import type { Project } from '../../config/types.js';
import type { EventLog } from '../types.js';
import { type EmbeddedLogOptions, openEmbeddedLog } from './embedded-log.js';

export { type EmbeddedLogOptions, openEmbeddedLog } from './embedded-log.js';
export { LogBehindError, LogUnavailableError } from './errors.js';

/** Opens the project's event log: a `nats://` URL selects JetStream, anything else the embedded log. */
export async function openEventLog(project: Project, options: EmbeddedLogOptions = {}): Promise<EventLog> {
  const events = project.config.events;
  const where = events?.log ?? 'embedded';
  if (/^nats:\/\//i.test(where)) {
    const stream = events?.nats?.stream;
    // Loaded on first use: the NATS client is ~60 modules that only NATS deployments need.
    const { openNatsLog } = await import('../nats/index.js');
    return openNatsLog(where, {
      // Streams on one server must not share subjects: a named stream gets its own prefix.
      ...(stream ? { stream, subjectPrefix: `weft.${stream.toLowerCase()}` } : {}),
      ...(events?.nats?.ack_wait_ms ? { ackWaitMs: events.nats.ack_wait_ms } : {}),
    });
  }
  return openEmbeddedLog(path.resolve(project.dir, events?.log_dir ?? '.weft/events'), options);
}
