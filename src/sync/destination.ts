/** Finds and prepares a sync's destination: connector, parsed settings, limits, primitive context. */
import { getDestination } from '../../destinations/index.js';
import type { Project, SyncConfig } from '../config/types.js';
import {
  type AnyDestination,
  createDestinationContext,
  type DestinationContext,
  type DestinationLimits,
  type DestinationLogger,
  effectiveLimits,
  isDestinationError,
  parseSettings,
  supportsMode,
} from '../destination-kit/index.js';
import { SyncConfigError } from './resolve.js';

/** A destination ready to receive one run's batches. */
export interface OpenDestination {
  destination: AnyDestination;
  limits: DestinationLimits;
  ctx: DestinationContext;
}

/** The connector behind a sync's connection, checked against the sync's mode (no I/O). */
export function destinationFor(
  project: Project,
  config: SyncConfig,
  override?: AnyDestination,
): { destination: AnyDestination; settings: Record<string, unknown> } {
  const connection = project.config.connections[config.connection];
  if (!connection) {
    throw new SyncConfigError(`sync '${config.name}': connection '${config.connection}' is not in weft.yml`);
  }
  const unavailable = project.config.unavailable_connections?.[config.connection];
  if (unavailable) {
    throw new SyncConfigError(
      `sync '${config.name}': connection '${config.connection}' cannot be used here: ${unavailable}`,
    );
  }
  const destination = override ?? getDestination(connection.type);
  if (!destination) {
    throw new SyncConfigError(
      `sync '${config.name}': connection '${config.connection}' has type '${connection.type}', which is not a known destination`,
    );
  }
  if (!supportsMode(destination, config.mode)) {
    throw new SyncConfigError(
      `sync '${config.name}': the ${destination.type} destination does not support mode '${config.mode}' (supported: ${destination.capabilities.modes.join(', ')})`,
    );
  }
  try {
    return { destination, settings: parseSettings(destination, connection) as Record<string, unknown> };
  } catch (error) {
    if (isDestinationError(error))
      throw new SyncConfigError(`connection '${config.connection}': ${error.message}`);
    throw error;
  }
}

/** Builds the destination context for one run. */
export function openDestination(
  project: Project,
  config: SyncConfig,
  run: { runId: string; signal: AbortSignal; logger?: DestinationLogger; destination?: AnyDestination },
): OpenDestination {
  const { destination, settings } = destinationFor(project, config, run.destination);
  const ctx = createDestinationContext(destination, settings, {
    syncName: config.name,
    runId: run.runId,
    mode: config.mode,
    object: config.object,
    matchOn: config.match_on,
    list: config.list,
    projectDir: project.dir,
    signal: run.signal,
    logger: run.logger,
    secrets: project.secrets,
  });
  return { destination, limits: effectiveLimits(destination, settings), ctx };
}
