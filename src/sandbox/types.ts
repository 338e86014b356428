/**
 * The sandbox framework's contracts. Each connector ships an emulator (destinations/<name>/emulator.ts):
 * a small request handler with state. The framework serves it over node:http on 127.0.0.1 and adds
 * what every emulator needs: an admin API, fault injection and an optional sliding-window rate limit.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** A request as an emulator sees it (body already read). */
export interface EmulatorRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Body as UTF-8 text. */
  text(): string;
  /** Body parsed as JSON; undefined when empty or invalid. */
  json(): unknown;
}

/** A response from an emulator. An object or array `body` is sent as JSON. */
export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A rule rejecting records whose field matches (used by emulators that answer per-record results). */
export interface RecordRejectRule {
  /** Field name in the record's data (or `key` for the record key). */
  field: string;
  /** Exact value (compared as strings). */
  equals?: string;
  /** Regular expression source, tested against the value as a string. */
  matches?: string;
  /** Reason reported for the rejected record. */
  reason?: string;
}

/** One injected failure, applied to the next request(s) in arrival order. */
export type FailureSpec =
  | { kind: 'status'; status: number; count?: number; retryAfter?: string; body?: unknown }
  | { kind: 'reset'; count?: number }
  | { kind: 'slow'; delayMs: number; count?: number };

/** A sliding-window rate limit: at most `requests` in any rolling `perMs`. */
export interface SandboxRateLimit {
  requests: number;
  perMs: number;
}

/** Body of `POST /__sandbox/faults` (each part optional; `clear` drops what was set before). */
export interface FaultSpec {
  clear?: boolean;
  fail?: FailureSpec[];
  reject?: RecordRejectRule[];
  /** Sets (or with null removes) the rate limit. */
  rateLimit?: SandboxRateLimit | null;
}

/** What an emulator's handler can ask of the framework. */
export interface EmulatorTools {
  /** The first reject rule matching the record, or undefined. */
  rejection(key: string, data: Record<string, unknown> | null | undefined): RecordRejectRule | undefined;
}

/** A live emulator instance (state lives here). */
export interface EmulatorApp {
  handle(request: EmulatorRequest, tools: EmulatorTools): Promise<EmulatorResponse> | EmulatorResponse;
  /** JSON-serialisable state for `GET /__sandbox/state` (its query string is passed, e.g. `?records=false`). */
  state(query?: URLSearchParams): unknown;
  /** Forgets all state. */
  reset(): void;
}

/** An emulator as shipped by a connector. */
export interface EmulatorDefinition<Options = Record<string, unknown>> {
  /** The destination type it emulates, e.g. `webhook`. */
  name: string;
  /** Environment variable `weft sandbox` prints with the base URL, e.g. WEFT_SANDBOX_WEBHOOK_URL. */
  envVar: string;
  create(options: Partial<Options>): EmulatorApp;
  /** Connection settings pointing at this emulator (printed by `weft sandbox`, used by tests). */
  settingsFor(baseUrl: string, options: Partial<Options>): Record<string, unknown>;
}

/** Framework-level counters, beside the emulator's own state. */
export interface SandboxStats {
  /** Requests handled (admin requests excluded). */
  requests: number;
  /** Responses by status code (injected failures and 429s included). */
  statuses: Record<string, number>;
  /** Requests refused by the rate limit. */
  rateLimited: number;
  /** Injected failures consumed. */
  faultsApplied: number;
  /** Highest number of requests seen in any rolling window of the rate limit (when one is set). */
  peakWindowRequests: number;
}

/** Body of `GET /__sandbox/state`. */
export interface SandboxState<S = unknown> {
  name: string;
  stats: SandboxStats;
  state: S;
}
