/**
 * Meta upload sessions: the batches one primitive sends in one run share a `session_id`, with
 * `batch_seq` from 1 in order and `last_batch_flag` on the last (the runner sends a sequential
 * destination's batches one at a time and says which is last: ctx.lastBatch). `batch_seq` only
 * advances when Meta acknowledged a batch, so a retried batch keeps its number. Without the
 * runner's hint (a direct call) a batch is a session of its own.
 */
import { randomInt } from 'node:crypto';

/** One open session. */
export interface MetaSession {
  id: number;
  /** batch_seq of the last batch Meta acknowledged (0: none yet). */
  acknowledged: number;
}

const open = new Map<string, MetaSession>();
/** Sessions of runs that stopped early are never closed by us (Meta times them out): keep a bounded few. */
const MAX_OPEN = 500;

/** The open session for this run, primitive and audience, or a new one. */
export function sessionFor(key: string): MetaSession {
  let session = open.get(key);
  if (!session) {
    session = { id: randomInt(1, 2 ** 47), acknowledged: 0 };
    open.set(key, session);
    if (open.size > MAX_OPEN) open.delete(open.keys().next().value as string);
  }
  return session;
}

/** Records Meta's acknowledgement of batch `seq`; the last batch closes the session. */
export function acknowledge(key: string, session: MetaSession, seq: number, last: boolean): void {
  session.acknowledged = seq;
  if (last) open.delete(key);
}
