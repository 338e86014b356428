/** defineDestination: checks a connector's declaration once, at import time. */

import type { z } from 'zod';
import { requiredPrimitives } from './modes.js';
import type { DestinationDefinition, DestinationSpec } from './types.js';

/**
 * Declares a destination. Throws (a programming error, not a DestinationError) when a declared
 * mode lacks a primitive it needs, or limits are not positive.
 */
export function defineDestination<Schema extends z.ZodType>(
  spec: DestinationSpec<Schema>,
): DestinationDefinition<Schema> {
  const where = `destination '${spec.type}'`;
  if (!/^[a-z][a-z0-9_]*$/.test(spec.type)) throw new Error(`${where}: type must be snake_case`);
  if (spec.capabilities.modes.length === 0) throw new Error(`${where}: declares no modes`);
  for (const mode of spec.capabilities.modes) {
    for (const primitive of requiredPrimitives(mode)) {
      if (typeof spec[primitive] !== 'function') {
        throw new Error(`${where}: mode '${mode}' needs the '${primitive}' primitive`);
      }
    }
  }
  const { batch, rateLimit, concurrency } = spec.capabilities;
  const positive = (n: number | undefined) => n === undefined || (Number.isFinite(n) && n > 0);
  if (!Number.isInteger(batch.maxRecords) || batch.maxRecords < 1) {
    throw new Error(`${where}: batch.maxRecords must be a positive integer`);
  }
  if (!positive(batch.maxBytes) || !positive(concurrency) || !Number.isInteger(concurrency)) {
    throw new Error(`${where}: batch.maxBytes and concurrency must be positive`);
  }
  if (rateLimit && (!positive(rateLimit.requests) || !positive(rateLimit.perMs))) {
    throw new Error(`${where}: rateLimit.requests and perMs must be positive`);
  }
  const { dailyQuota } = spec.capabilities;
  if (dailyQuota !== undefined && (!Number.isInteger(dailyQuota) || dailyQuota < 1)) {
    throw new Error(`${where}: dailyQuota must be a positive integer`);
  }
  const { bulk } = spec;
  if (bulk !== undefined && typeof bulk !== 'function') {
    if (!Number.isInteger(bulk.threshold) || bulk.threshold < 1)
      throw new Error(`${where}: bulk.threshold must be a positive integer`);
    if (
      !Number.isInteger(bulk.batch.maxRecords) ||
      bulk.batch.maxRecords < 1 ||
      !positive(bulk.batch.maxBytes)
    )
      throw new Error(`${where}: bulk.batch limits must be positive`);
    if (bulk.concurrency !== undefined && (!Number.isInteger(bulk.concurrency) || bulk.concurrency < 1))
      throw new Error(`${where}: bulk.concurrency must be a positive integer`);
  }
  if (spec.account !== undefined && typeof spec.account !== 'function') {
    throw new Error(`${where}: account must be a function of the settings`);
  }
  if (spec.discoverFields !== undefined && typeof spec.discoverFields !== 'function') {
    throw new Error(`${where}: discoverFields must be a function of the context`);
  }
  if ((typeof spec.erase === 'function') !== (spec.erasure !== undefined)) {
    throw new Error(`${where}: the erase primitive and its erasure declaration go together`);
  }
  return Object.freeze({ ...spec, kind: 'weft.destination' as const });
}
