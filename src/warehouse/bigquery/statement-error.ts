import { WarehouseError } from '../types.js';

/** The parts of @google-cloud/common's ApiError weft reads. */
interface ApiErrorLike {
  code?: number;
  message?: string;
  errors?: { reason?: string; message?: string }[];
}

/** BigQuery's first error reason (`invalidQuery`, `notFound`, `bytesBilledLimitExceeded`, …). */
export function errorReason(error: unknown): string | undefined {
  const errors = (error as ApiErrorLike | undefined)?.errors;
  return Array.isArray(errors) ? errors.find((e) => e?.reason)?.reason : undefined;
}

/** The HTTP status of a failed API call, when there was a response. */
export function errorStatus(error: unknown): number | undefined {
  const code = (error as ApiErrorLike | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

const SECRETS = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\bBearer\s+[\w.~+/=-]+/gi,
  /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, // a JWT (assertion or self-signed token)
  /\bya29\.[\w.-]+/g, // a Google access token
];

/** A driver message with anything shaped like a key or token cut out (messages end up in logs). */
export function scrubSecrets(message: string): string {
  return SECRETS.reduce((text, pattern) => text.replace(pattern, '[redacted]'), message);
}

/** BigQuery's message for a failure (the API's own text), secrets cut out. */
export function messageOf(error: unknown): string {
  const api = error as ApiErrorLike | undefined;
  const first = api?.errors?.find((e) => e?.message)?.message;
  const message = (error instanceof Error && error.message) || first || String(error);
  return scrubSecrets(message);
}

/**
 * A copy of a driver error that is safe to log: its scrubbed message, HTTP status and BigQuery
 * error reasons. The original holds the HTTP request (Authorization header, token assertion),
 * which an inspected `cause` would print.
 */
export function safeCause(error: unknown): Error {
  const copy = new Error(messageOf(error)) as Error & ApiErrorLike;
  copy.name = error instanceof Error ? error.name : 'Error';
  const status = errorStatus(error);
  if (status !== undefined) copy.code = status;
  const errors = (error as ApiErrorLike | undefined)?.errors;
  if (Array.isArray(errors)) {
    copy.errors = errors.map((e) => ({ reason: e?.reason, message: scrubSecrets(String(e?.message ?? '')) }));
  }
  return copy;
}

/** Whether BigQuery refused a query because it would bill more than maximumBytesBilled allows. */
export function isBytesBilledLimit(error: unknown): boolean {
  return errorReason(error) === 'bytesBilledLimitExceeded';
}

/**
 * Whether `error` is BigQuery's answer to a query over a dataset that does not exist:
 * HTTP 404 (or reason notFound) with "Not found: Dataset …". Tables and other 404s do not count.
 */
export function isMissingDataset(error: unknown): boolean {
  const notFound = errorStatus(error) === 404 || errorReason(error) === 'notFound';
  return notFound && /^Not found: Dataset [^\s]+/.test(messageOf(error));
}

/**
 * A failed job or API call as a WarehouseError carrying the SQL; a refusal by the cost guard
 * says which setting to raise.
 */
export function statementError(
  error: unknown,
  sql: string | undefined,
  maximumBytesBilled?: string,
): WarehouseError {
  if (error instanceof WarehouseError) return error;
  let message = messageOf(error);
  if (isBytesBilledLimit(error)) {
    message +=
      `\nThe cost guard warehouse.maximum_bytes_billed (${maximumBytesBilled ?? 'set on the job'} bytes) refused this query. ` +
      'Raise maximum_bytes_billed in weft.yml (or WEFT_WAREHOUSE_URL ?maximum_bytes_billed=…) if the cost is expected, or make the query read less.';
  }
  return new WarehouseError(message, sql, { cause: safeCause(error) });
}
