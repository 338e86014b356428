/** HTTP helpers for the local BigQuery endpoint: bodies, JSON replies, Google's error JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An API failure with Google's error shape: HTTP status, BigQuery reason, message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly location?: string,
  ) {
    super(message);
  }

  /** The `{error: {code, message, errors: [{message, domain, reason}], status}}` body Google sends. */
  body(): unknown {
    const statusText: Record<number, string> = {
      400: 'INVALID_ARGUMENT',
      401: 'UNAUTHENTICATED',
      403: 'PERMISSION_DENIED',
      404: 'NOT_FOUND',
      409: 'ALREADY_EXISTS',
      429: 'RESOURCE_EXHAUSTED',
      500: 'INTERNAL',
      503: 'UNAVAILABLE',
    };
    const detail: Record<string, string> = { message: this.message, domain: 'global', reason: this.reason };
    if (this.location) {
      detail.location = this.location;
      detail.locationType = 'other';
    }
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [detail],
        status: statusText[this.status] ?? 'UNKNOWN',
      },
    };
  }

  /** The job-level error (`status.errorResult`) for a job that failed with this error. */
  errorProto(): { reason: string; message: string; location?: string } {
    return this.location
      ? { reason: this.reason, message: this.message, location: this.location }
      : { reason: this.reason, message: this.message };
  }
}

/** Reads a request body fully (the emulator's own memory is not what the tests measure). */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends a JSON reply. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Sends an ApiFailure as Google's error JSON. */
export function sendFailure(response: ServerResponse, failure: ApiFailure): void {
  sendJson(response, failure.status, failure.body());
}
