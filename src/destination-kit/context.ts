/** Building the context a primitive runs with, and calling a primitive safely. */
import type { z } from 'zod';
import { DestinationError, isDestinationError } from './errors.js';
import { createHttpClient } from './http/client.js';
import { redact } from './redact.js';
import { secretSettingValues } from './settings.js';
import type {
  AnyDestination,
  DestinationContext,
  DestinationLogger,
  DestinationRecord,
  PrimitiveName,
  RecordResult,
  SyncMode,
} from './types.js';

/** Who is calling and for which sync; everything but `settings` that a context needs. */
export interface ContextOptions {
  syncName: string;
  runId: string;
  mode: SyncMode;
  object?: string;
  matchOn?: string;
  list?: string;
  /** The project directory (relative paths in settings resolve against it). */
  projectDir?: string;
  /** The runner chose the destination's bulk path for this primitive (default false). */
  bulk?: boolean;
  logger?: DestinationLogger;
  signal?: AbortSignal;
  /** Default per-request timeout (30 s). */
  timeoutMs?: number;
  /** Extra values to redact (e.g. the project's rendered secrets). */
  secrets?: readonly string[];
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

/** A logger that drops everything. */
export const silentLogger: DestinationLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Wraps a logger so messages and string fields never carry the given secrets. */
export function redactingLogger(inner: DestinationLogger, secrets: readonly string[]): DestinationLogger {
  const clean = (fields?: Record<string, unknown>) =>
    fields && JSON.parse(redact(JSON.stringify(fields), secrets));
  return {
    debug: (m, f) => inner.debug(redact(m, secrets), clean(f)),
    info: (m, f) => inner.info(redact(m, secrets), clean(f)),
    warn: (m, f) => inner.warn(redact(m, secrets), clean(f)),
    error: (m, f) => inner.error(redact(m, secrets), clean(f)),
  };
}

/** Builds the context for `destination` with already-parsed settings (see parseSettings). */
export function createDestinationContext<D extends AnyDestination>(
  destination: D,
  settings: z.output<D['settings']>,
  options: ContextOptions,
): DestinationContext<z.output<D['settings']>> {
  const secrets = [...secretSettingValues(destination, settings), ...(options.secrets ?? [])];
  const logger = redactingLogger(options.logger ?? silentLogger, secrets);
  const signal = options.signal ?? new AbortController().signal;
  const http = createHttpClient({
    baseUrl: destination.baseUrl?.(settings),
    headers: destination.headers?.(settings),
    timeoutMs: options.timeoutMs,
    secrets,
    refineError: destination.refineError,
    logger,
    signal,
    fetch: options.fetch,
  });
  const ctx: DestinationContext<z.output<D['settings']>> = {
    settings,
    http,
    logger,
    signal,
    syncName: options.syncName,
    runId: options.runId,
    mode: options.mode,
    bulk: options.bulk ?? false,
  };
  if (options.object !== undefined) ctx.object = options.object;
  if (options.matchOn !== undefined) ctx.matchOn = options.matchOn;
  if (options.list !== undefined) ctx.list = options.list;
  if (options.projectDir !== undefined) ctx.projectDir = options.projectDir;
  return ctx;
}

/**
 * Calls one primitive and checks its answer: exactly one valid result per record. A connector
 * that breaks this is a bug; it surfaces as a `config` DestinationError so the run stops without
 * marking anything. Errors that are not DestinationErrors are passed through unchanged.
 */
export async function invokePrimitive<D extends AnyDestination>(
  destination: D,
  primitive: PrimitiveName,
  ctx: DestinationContext<z.output<D['settings']>>,
  records: DestinationRecord[],
): Promise<RecordResult[]> {
  const fn = destination[primitive];
  if (typeof fn !== 'function') {
    throw new DestinationError('config', `destination '${destination.type}' has no '${primitive}' primitive`);
  }
  if (records.length === 0) return [];
  const results: unknown = await fn(ctx, records);
  if (!Array.isArray(results) || results.length !== records.length) {
    const got = Array.isArray(results) ? results.length : typeof results;
    throw new DestinationError(
      'config',
      `destination '${destination.type}' ${primitive} returned ${got} results for ${records.length} records`,
    );
  }
  for (const result of results as RecordResult[]) {
    if (!result || !['ok', 'rejected', 'retryable'].includes(result.status)) {
      throw new DestinationError(
        'config',
        `destination '${destination.type}' ${primitive} returned an invalid result`,
      );
    }
  }
  return results as RecordResult[];
}

export { isDestinationError };
