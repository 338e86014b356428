/**
 * The field schema a sync's mappings are checked against: the destination's declared fields,
 * overlaid with what its `discoverFields` hook reads from the live API (e.g. HubSpot's
 * properties of the sync's object). Called by prepareSync, so `weft plan` and `weft sync` both
 * refuse a mapping to an unknown field before anything is sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { relationColumns } from '../../build/relations.js';
import type { Project, SyncConfig } from '../../config/types.js';
import { type AnyDestination, type FieldSpec, isDestinationError } from '../../destination-kit/index.js';
import type { Warehouse } from '../../warehouse/types.js';
import { accountKey } from '../budget/account-key.js';
import type { AccountBudgets } from '../budget/budgets.js';
import { openDestination } from '../destination.js';
import { SyncConfigError, SyncUnavailableError } from '../resolve.js';
import type { ResolvedSync } from '../types.js';

/** What the mappings are compiled against. */
export interface MappingTarget {
  /** Field schema (undefined: free-form destination). */
  fields: Record<string, FieldSpec> | undefined;
  /** Source column → warehouse type; filled only when fields were discovered. */
  columnTypes: Record<string, string>;
}

/** Tries a transient failure (429, 5xx, network) this many times before giving up. */
const ATTEMPTS = 3;

/**
 * The fields of the sync's destination object. Throws SyncConfigError when the settings are
 * wrong (bad credentials, unknown object), SyncUnavailableError when the destination cannot
 * answer now (quota used up, throttled or failing after retries).
 */
export async function mappingTarget(
  project: Project,
  warehouse: Warehouse,
  sync: ResolvedSync,
  destination: AnyDestination,
  override?: AnyDestination,
  budgets?: AccountBudgets,
): Promise<MappingTarget> {
  const declared = destination.capabilities.fields;
  if (!destination.discoverFields) return { fields: declared, columnTypes: {} };
  const discovered = await discover(project, sync.config, override, budgets);
  const columns = await relationColumns(warehouse, sync.source);
  return {
    fields: { ...declared, ...discovered },
    columnTypes: Object.fromEntries(columns.map((c) => [c.name, c.type])),
  };
}

async function discover(
  project: Project,
  config: SyncConfig,
  override?: AnyDestination,
  budgets?: AccountBudgets,
): Promise<Record<string, FieldSpec>> {
  const opened = openDestination(project, config, {
    runId: `discover-${config.name}`,
    signal: new AbortController().signal,
    destination: override,
  });
  const { destination, limits } = opened;
  let { ctx } = opened;
  if (budgets) {
    // Discovery's requests draw from the account's budget like the run's own (one queue, one quota).
    const budget = budgets.for(accountKey(destination, ctx.settings, config.connection), limits);
    const gate = budget.gate((response) => opened.ctx.http.classify(response), { pauseMs: () => 1000 });
    ctx = { ...ctx, http: ctx.http.gated?.(gate) ?? ctx.http };
  }
  const read = destination.discoverFields as NonNullable<AnyDestination['discoverFields']>;
  for (let attempt = 1; ; attempt++) {
    try {
      return await read(ctx);
    } catch (error) {
      if (!isDestinationError(error)) throw error;
      if (error.isRetryable && attempt < ATTEMPTS) {
        await sleep(Math.min(error.retryAfterMs ?? 1000 * attempt, 10_000));
        continue;
      }
      const object = config.object ? ` '${config.object}'` : '';
      const message = `sync '${config.name}': cannot read the fields of ${destination.type} object${object} to check the mappings: ${error.message}`;
      // Credentials or settings are wrong: fix the config. Anything else (quota used up, still
      // throttled or failing after retries) is this run failing, not the config.
      if (error.isFatal) throw new SyncConfigError(message);
      throw new SyncUnavailableError(message);
    }
  }
}
