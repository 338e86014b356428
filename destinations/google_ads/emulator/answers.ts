/** Google Ads answer shapes: google.rpc.Status error bodies with GoogleAdsFailure details. */
import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../../../src/sandbox/types.js';

/** One GoogleAdsError as the emulator reports it. */
export interface EmulatedAdsError {
  errorCode: Record<string, string>;
  message: string;
  location?: { fieldPathElements: Array<{ fieldName: string; index?: number }> };
  details?: Record<string, unknown>;
}

/** A GoogleAdsFailure status (`code` is the google.rpc code number). */
export function failure(code: number, status: string, message: string, errors: EmulatedAdsError[]) {
  return {
    code,
    status,
    message,
    details: [
      {
        '@type': 'type.googleapis.com/google.ads.googleads.v19.errors.GoogleAdsFailure',
        errors,
        requestId: randomUUID().replace(/-/g, '').slice(0, 22),
      },
    ],
  };
}

/** An error answer: HTTP status, rpc status name, one GoogleAdsError `{kind: code}`. */
export function adsError(
  http: number,
  status: string,
  kind: string,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): EmulatorResponse {
  return {
    status: http,
    body: {
      error: failure(http, status, message, [
        { errorCode: { [kind]: code }, message, ...(details && { details }) },
      ]),
    },
  };
}

/** An operation-level error at `operations[index]` (for partialFailureError). */
export function operationError(index: number, kind: string, code: string, message: string): EmulatedAdsError {
  return {
    errorCode: { [kind]: code },
    message,
    location: { fieldPathElements: [{ fieldName: 'operations', index }, { fieldName: 'create' }] },
  };
}
