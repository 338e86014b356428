/**
 * A trigger's connection, ready to send one rendered record at a time through the destination's
 * primitive, inside the account's shared rate budget (the same AccountBudget the sync runner
 * uses: one queue, one 429 pause, one daily quota per destination account), with retries and
 * exponential backoff with jitter (honouring Retry-After).
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
  const budget = options.budgets.for(
    accountKey(destination, settings, name),
    effectiveLimits(destination, settings),
  );
  return {
    destination,
    primitive,
    slack,
    send: (triggerName, firingId, message, stop) =>
      sendOne(
        { destination, primitive, budget, retry: options.retry, priority: options.priority },
        {
          ...ctx,
          // Per firing: the webhook derives its batch id from it, so a resend is recognizably the same.
          runId: firingId,
          syncName: `trigger:${triggerName}`,
          signal: stop,
        },
        message,
        stop,
      ),
  };
}

interface SendParts {
  destination: AnyDestination;
  primitive: PrimitiveName;
  budget: AccountBudget;
  retry: RetryPolicy;
  priority: number;
}

/** One record, retried until delivered, rejected, out of attempts, or stopped. */
async function sendOne(
  parts: SendParts,
  ctx: DestinationContext,
  message: RenderedMessage,
  stop: AbortSignal,
): Promise<DeliveryOutcome> {
  const { destination, primitive, budget, retry, priority } = parts;
  const record = { key: message.key, fields: message.fields, op: 'added' as const };
  for (let attempt = 1; ; attempt++) {
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
