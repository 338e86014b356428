/**
 * A trigger's connection, ready to send rendered records through the destination's primitive,
 * inside the account's shared rate budget (the same AccountBudget the sync runner uses: one
 * queue, one 429 pause, one daily quota per destination account), with retries and exponential
 * backoff with jitter (honouring Retry-After).
 *
 * Firings sent in the same turn of the event loop (one round of offers) go out in one call of the
 * primitive, up to the destination's batch size (at most 50; Slack: one message per call), so a
 * busy trigger costs one request per round, not one per firing. Each record keeps its own result;
 * a record the batch did not deliver (a retryable answer, or a failed request) is retried alone,
 * with backoff, like a firing sent alone. Every record keeps its key, so a receiver recognizes a
 * resend (the webhook's per-row idempotency_key does not depend on the batch).
 */
import { getDestination } from '../../../destinations/index.js';
import type { Project, TriggerConfig } from '../../config/types.js';
import {
  type AnyDestination,
  createDestinationContext,
  type DestinationContext,
  type DestinationLogger,
  effectiveLimits,
  invokePrimitive,
  isDestinationError,
  type PrimitiveName,
  parseSettings,
} from '../../destination-kit/index.js';
import type { AccountBudget, AccountBudgets } from '../../sync/budget/index.js';
import { accountKey } from '../../sync/budget/index.js';
import { backoffDelay, type RetryPolicy, sleep } from '../../sync/runner/backoff.js';
import type { RenderedMessage } from './render.js';

/** How a delivery ended. `stopped`: the engine closed first; the firing stays pending. */
export type DeliveryOutcome =
  | { status: 'delivered'; attempts: number }
  | { status: 'failed'; attempts: number; reason: string }
  | { status: 'stopped'; attempts: number };

/** A trigger's connection, opened. */
export interface TriggerConnection {
  destination: AnyDestination;
  primitive: PrimitiveName;
  /** Whether messages are Slack markup (values escaped). */
  slack: boolean;
  send(
    trigger: string,
    firingId: string,
    message: RenderedMessage,
    stop: AbortSignal,
  ): Promise<DeliveryOutcome>;
}

/** Why a trigger cannot send (unknown connection type, missing primitive, bad settings). */
export class TriggerConnectionError extends Error {
  override name = 'TriggerConnectionError';
}

/** What opening a connection needs. */
export interface ConnectionOptions {
  budgets: AccountBudgets;
  retry: RetryPolicy;
  /** p-queue priority of trigger calls (above syncs: they are the real-time path). */
  priority: number;
  logger?: DestinationLogger;
  /** Replaces the registry lookup (tests). */
  destinationFor?: (type: string) => AnyDestination | undefined;
}

/** Opens `trigger`'s connection (no I/O). Throws TriggerConnectionError with a user message. */
export function openTriggerConnection(
  project: Project,
  trigger: TriggerConfig,
  options: ConnectionOptions,
): TriggerConnection {
  const name = trigger.send.connection;
  const where = `trigger '${trigger.name}': connection '${name}'`;
  const connection = project.config.connections[name];
  if (!connection) throw new TriggerConnectionError(`${where} is not in weft.yml`);
  const unavailable = project.config.unavailable_connections?.[name];
  if (unavailable) throw new TriggerConnectionError(`${where} cannot be used here: ${unavailable}`);
  const destination = (options.destinationFor ?? getDestination)(connection.type);
  if (!destination)
    throw new TriggerConnectionError(
      `${where} has type '${connection.type}', which is not a known destination`,
    );
  const primitive = trigger.send.primitive ?? (destination.insert ? 'insert' : 'upsert');
  if (typeof destination[primitive] !== 'function')
    throw new TriggerConnectionError(
      `${where}: the ${destination.type} destination has no '${primitive}' primitive (send.primitive)`,
    );
  const slack = destination.type === 'slack';
  // The trigger's template is the message: a Slack connection's own template would replace it.
  const raw =
    slack && trigger.send.template !== undefined ? { ...connection, template: undefined } : connection;
  let settings: Record<string, unknown>;
  try {
    settings = parseSettings(destination, raw) as Record<string, unknown>;
  } catch (error) {
    throw new TriggerConnectionError(`${where}: ${(error as Error).message}`);
  }
  const ctx = createDestinationContext(destination, settings, {
    syncName: `trigger:${trigger.name}`,
    runId: 'trigger',
    mode: primitive === 'addMembers' ? 'membership' : primitive,
    ...(trigger.send.object !== undefined && { object: trigger.send.object }),
    ...(trigger.send.match_on !== undefined && { matchOn: trigger.send.match_on }),
    ...(trigger.send.list !== undefined && { list: trigger.send.list }),
    projectDir: project.dir,
    ...(options.logger && { logger: options.logger }),
    secrets: project.secrets,
  });
  const limits = effectiveLimits(destination, settings);
  const budget = options.budgets.for(accountKey(destination, settings, name), limits);
  const parts: SendParts = {
    destination,
    primitive,
    budget,
    retry: options.retry,
    priority: options.priority,
  };
  // Per firing: the webhook derives its batch id from it, so a resend is recognizably the same.
  const ctxFor = (triggerName: string, firingId: string, stop: AbortSignal): DestinationContext => ({
    ...ctx,
    runId: firingId,
    syncName: `trigger:${triggerName}`,
    signal: stop,
  });
  const maxBatch = slack ? 1 : Math.max(1, Math.min(MAX_BATCH, limits.batch.maxRecords ?? 1));
  if (maxBatch === 1)
    return {
      destination,
      primitive,
      slack,
      send: (triggerName, firingId, message, stop) =>
        sendOne(parts, ctxFor(triggerName, firingId, stop), message, stop),
    };
  let waiting: Waiting[] = [];
  const flush = () => {
    const ready = waiting;
    waiting = [];
    for (let i = 0; i < ready.length; i += maxBatch)
      void sendBatch(parts, ctxFor, ready.slice(i, i + maxBatch));
  };
  return {
    destination,
    primitive,
    slack,
    send: (triggerName, firingId, message, stop) =>
      new Promise<DeliveryOutcome>((resolve) => {
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ triggerName, firingId, message, stop, resolve });
      }),
  };
}

/** Records per call of the primitive at most (the destination's batch size may be lower). */
const MAX_BATCH = 50;

interface Waiting {
  triggerName: string;
  firingId: string;
  message: RenderedMessage;
  stop: AbortSignal;
  resolve: (outcome: DeliveryOutcome) => void;
}

/**
 * The first attempt of several firings in one call; each record that did not end there (a
 * retryable result, or a request that failed) goes on alone from attempt 2 (sendOne). Never rejects.
 */
async function sendBatch(
  parts: SendParts,
  ctxFor: (triggerName: string, firingId: string, stop: AbortSignal) => DestinationContext,
  batch: Waiting[],
): Promise<void> {
  const { destination, primitive, budget, retry, priority } = parts;
  const live = batch.filter((w) => {
    if (w.stop.aborted) w.resolve({ status: 'stopped', attempts: 0 });
    return !w.stop.aborted;
  });
  const [first] = live;
  if (!first) return;
  const alone = (w: Waiting, retryAfterMs?: number) =>
    sendOne(parts, ctxFor(w.triggerName, w.firingId, w.stop), w.message, w.stop, 2, retryAfterMs).then(
      w.resolve,
      (error: unknown) => w.resolve({ status: 'failed', attempts: 1, reason: String(error) }),
    );
  if (live.length === 1) {
    sendOne(parts, ctxFor(first.triggerName, first.firingId, first.stop), first.message, first.stop).then(
      first.resolve,
      (error: unknown) => first.resolve({ status: 'failed', attempts: 0, reason: String(error) }),
    );
    return;
  }
  const stop = first.stop;
  const records = live.map((w) => ({ key: w.message.key, fields: w.message.fields, op: 'added' as const }));
  let started = false;
  try {
    const results = await budget.add(
      () => {
        started = true;
        budget.take();
        return invokePrimitive(
          destination,
          primitive,
          ctxFor(first.triggerName, first.firingId, stop),
          records,
        ).catch((error: unknown) => {
          if (isDestinationError(error) && error.kind === 'rate_limit')
            budget.pause(error.retryAfterMs ?? backoffDelay(retry, 1));
          throw error;
        });
      },
      { priority, signal: stop },
    );
    for (const [i, w] of live.entries()) {
      const result = results[i];
      if (result?.status === 'ok') w.resolve({ status: 'delivered', attempts: 1 });
      else if (result?.status === 'rejected')
        w.resolve({ status: 'failed', attempts: 1, reason: result.reason });
      else void alone(w, result?.status === 'retryable' ? result.retryAfterMs : undefined);
    }
  } catch (error) {
    if (stop.aborted) {
      for (const w of live) w.resolve({ status: 'stopped', attempts: started ? 1 : 0 });
      return;
    }
    // A whole-batch error that is not about one record: as for one firing (sendOne), it ends them all.
    if (isDestinationError(error) && (error.isFatal || error.kind === 'quota')) {
      for (const w of live) w.resolve({ status: 'failed', attempts: 1, reason: error.message });
      return;
    }
    // Retryable, or a record error the batch cannot attribute: each goes on alone.
    const retryAfterMs = isDestinationError(error) ? error.retryAfterMs : undefined;
    for (const w of live) void alone(w, retryAfterMs);
  }
}

interface SendParts {
  destination: AnyDestination;
  primitive: PrimitiveName;
  budget: AccountBudget;
  retry: RetryPolicy;
  priority: number;
}

/**
 * One record, retried until delivered, rejected, out of attempts, or stopped. `from` > 1: attempts
 * before it were made (in a batch): wait the backoff after attempt `from - 1` first.
 */
async function sendOne(
  parts: SendParts,
  ctx: DestinationContext,
  message: RenderedMessage,
  stop: AbortSignal,
  from = 1,
  retryAfterMs?: number,
): Promise<DeliveryOutcome> {
  const { destination, primitive, budget, retry, priority } = parts;
  const record = { key: message.key, fields: message.fields, op: 'added' as const };
  if (from > 1) {
    if (from - 1 >= retry.maxAttempts)
      return { status: 'failed', attempts: from - 1, reason: `gave up after ${from - 1} attempts` };
    await sleep(backoffDelay(retry, from - 1, retryAfterMs), stop).catch(() => undefined);
  }
  for (let attempt = from; ; attempt++) {
    if (stop.aborted) return { status: 'stopped', attempts: attempt - 1 };
    let reason: string;
    let retryAfterMs: number | undefined;
    let started = false;
    try {
      const [result] = await budget.add(
        () => {
          started = true;
          budget.take();
          return invokePrimitive(destination, primitive, ctx, [record]).catch((error: unknown) => {
            if (isDestinationError(error) && error.kind === 'rate_limit')
              budget.pause(error.retryAfterMs ?? backoffDelay(retry, attempt));
            throw error;
          });
        },
        { priority, signal: stop },
      );
      if (result?.status === 'ok') return { status: 'delivered', attempts: attempt };
      if (result?.status === 'rejected')
        return { status: 'failed', attempts: attempt, reason: result.reason };
      reason = result?.reason ?? 'no result';
      retryAfterMs = result?.status === 'retryable' ? result.retryAfterMs : undefined;
    } catch (error) {
      // Stopped while queued or in flight: the firing stays pending and is sent again at the next
      // start (the destination may have received it: at-least-once).
      if (stop.aborted) return { status: 'stopped', attempts: started ? attempt : attempt - 1 };
      const text = error instanceof Error ? error.message : String(error);
      if (!isDestinationError(error) || error.isFatal || error.kind === 'record' || error.kind === 'quota')
        return { status: 'failed', attempts: attempt, reason: text };
      reason = text;
      retryAfterMs = error.retryAfterMs;
    }
    if (attempt >= retry.maxAttempts)
      return { status: 'failed', attempts: attempt, reason: `gave up after ${attempt} attempts: ${reason}` };
    await sleep(backoffDelay(retry, attempt, retryAfterMs), stop);
  }
}
