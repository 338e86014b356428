/** The Klaviyo emulator's JSON:API error bodies. */
import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../../../src/sandbox/types.js';

/** A JSON:API error answer. */
export function jsonApiError(
  status: number,
  code: string,
  title: string,
  detail: string,
  pointer = '/data',
): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/vnd.api+json' },
    body: { errors: [{ id: randomUUID(), status, code, title, detail, source: { pointer } }] },
  };
}
