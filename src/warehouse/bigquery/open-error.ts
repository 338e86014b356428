import { WarehouseError } from '../types.js';
import type { BigQuerySettings } from './settings.js';
import { errorReason, errorStatus, messageOf, safeCause } from './statement-error.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  const match = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)\b/.exec(
    messageOf(error),
  );
  return match?.[1];
}

function isAuthFailure(error: unknown, reason: string): boolean {
  return (
    errorStatus(error) === 401 ||
    /invalid_grant|invalid_client|unauthorized_client|Could not load the default credentials|Invalid JWT|authError|UNAUTHENTICATED/i.test(
      `${reason} ${errorReason(error) ?? ''}`,
    )
  );
}

/**
 * The first call failed: a WarehouseError saying what failed (auth, project, permission,
 * endpoint) and what to do. Key material and tokens never appear (messageOf scrubs them).
 */
export function openError(error: unknown, settings: BigQuerySettings): WarehouseError {
  const reason = messageOf(error).replace(/\.+$/, '');
  const where = `BigQuery project ${settings.shown}`;
  const endpoint = settings.apiEndpoint ?? 'https://bigquery.googleapis.com';
  let advice: string;
  const network = networkCode(error);
  if (network) {
    advice =
      `Cannot reach the BigQuery API at ${endpoint} (${network}). ` +
      'Check the network, or warehouse.api_endpoint / BIGQUERY_EMULATOR_HOST if you set one.';
  } else if (isAuthFailure(error, reason)) {
    advice =
      `Cannot authenticate to ${where} with ${settings.authSource}: ${reason}. ` +
      (settings.key
        ? 'Check that the key belongs to an existing, enabled service account and has not been deleted or rotated; download a new JSON key if needed.'
        : 'Run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, or set warehouse.key_file / warehouse.credentials.');
  } else if (
    errorReason(error) === 'accessDenied' ||
    (errorStatus(error) === 403 && errorReason(error) !== 'rateLimitExceeded')
  ) {
    advice =
      `The account from ${settings.authSource} may not run query jobs in ${where}: ${reason}. ` +
      'Grant it roles/bigquery.jobUser on the project and roles/bigquery.dataEditor on the datasets weft uses (see docs/warehouses/bigquery.md).';
  } else if (errorStatus(error) === 404 || errorReason(error) === 'notFound') {
    advice = `${where} was not found: ${reason}. Check warehouse.project (the project ID, not its name) and that the BigQuery API is enabled in it.`;
  } else {
    advice = `Cannot open ${where} (endpoint ${endpoint}): ${reason}.`;
  }
  return new WarehouseError(advice, undefined, { cause: safeCause(error) });
}
