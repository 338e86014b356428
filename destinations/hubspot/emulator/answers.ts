/** HubSpot's answer shapes: error bodies and batch results. */
import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../../../src/sandbox/types.js';
import type { EmulatedRecord } from './store.js';

/** `{status:"error", message, correlationId, category}` with an HTTP status. */
export function errorAnswer(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): EmulatorResponse {
  return { status, body: { status: 'error', message, correlationId: randomUUID(), category, ...extra } };
}

/** One entry of a 207's `errors`. */
export interface BatchErrorEntry {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
}

/**
 * A batch answer: 200 when everything went through, 207 with `errors` otherwise. Never 201, also
 * when `batch/upsert` created records: HubSpot's spec (and `@hubspot/api-client`, which throws on
 * any other status) has only 200 and 207 there; 201 belongs to `batch/create`, not emulated.
 */
export function batchAnswer(results: unknown[], errors: BatchErrorEntry[]): EmulatorResponse {
  const now = new Date().toISOString();
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
  if (errors.length > 0) Object.assign(body, { numErrors: errors.length, errors });
  return { status: errors.length > 0 ? 207 : 200, body };
}

/** A record as batch endpoints return it, with the asked-for properties (all when undefined). */
export function recordAnswer(
  record: EmulatedRecord,
  properties?: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const shown = properties
    ? Object.fromEntries(
        [...new Set([...properties, 'hs_object_id', 'createdate', 'lastmodifieddate'])].map((name) => [
          name,
          record.properties[name] ?? null,
        ]),
      )
    : { ...record.properties };
  return {
    id: record.id,
    properties: shown,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: false,
    ...extra,
  };
}
