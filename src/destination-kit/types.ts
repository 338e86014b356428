/**
 * The destination contract: a connector is a declarative object (settings schema, capabilities,
 * small primitives). The sync runner (src/sync) owns batching, queues, retries, splitting and
 * bookkeeping; a destination only turns ONE batch into requests and reports one result per record.
 */
import type { z } from 'zod';
import type { DestinationError } from './errors.js';
import type { HttpClient } from './http/types.js';

/** Sync modes a destination can support (same names as syncs/*.yml `mode`). */
export type SyncMode = 'upsert' | 'update' | 'insert' | 'mirror' | 'membership';

/** What the planner found for a record: the runner routes each kind to a primitive (see modes.ts). */
export type RecordOp = 'added' | 'changed' | 'removed';

/** One record handed to a primitive: the sync key, the mapped destination fields, the change kind. */
export interface DestinationRecord {
  /** The sync key value (stringified); unique within a batch. */
  key: string;
  /** Destination field → typed value (already mapped and validated by the runner). Empty for removals. */
  fields: Record<string, unknown>;
  op: RecordOp;
  /** Destination record id from an earlier acknowledgement, when the runner kept one (membership by id). */
  destinationId?: string;
}

/** The outcome of one record; primitives return exactly one per input record, in input order. */
export type RecordResult =
  | { status: 'ok'; destinationId?: string }
  | { status: 'rejected'; reason: string }
  | { status: 'retryable'; reason: string; retryAfterMs?: number };

/** Structured logger handed to primitives. Never pass secrets; the runner's logger redacts anyway. */
export interface DestinationLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What a primitive receives besides its records. Built by the runner (see context.ts helpers). */
export interface DestinationContext<S = Record<string, unknown>> {
  /** Settings parsed with the destination's schema (defaults applied, secrets included). */
  settings: S;
  /** HTTP client bound to this destination: timeouts, JSON helpers, redaction, classification hook. */
  http: HttpClient;
  logger: DestinationLogger;
  /** Aborted when the run is cancelled; pass it on to long operations. */
  signal: AbortSignal;
  syncName: string;
  /** The sync run's id (unique per run; e.g. the file destination names its file after it). */
  runId: string;
  mode: SyncMode;
  /** syncs/*.yml `object` (e.g. contacts). */
  object?: string;
  /** syncs/*.yml `match_on`: the destination field the sync key maps to. */
  matchOn?: string;
  /** syncs/*.yml `list` (membership mode). */
  list?: string;
  /**
   * The project directory: a relative path in the settings (e.g. the file destination's `path`)
   * means relative to it, whatever the working directory. Absent outside a project (tests).
   */
  projectDir?: string;
  /**
   * True when the runner chose the destination's bulk path for this primitive in this run (the
   * plan sends at least `bulk.threshold` records through it): batches follow `bulk.batch`, and
   * the primitive should use the vendor's bulk API. Still one result per record, in order.
   */
  bulk: boolean;
  /**
   * Records the plan sends through this primitive in this run, when the runner planned (an
   * estimate for vendors that want one up front, e.g. Meta's `estimated_num_total`; rows the
   * runner rejects before sending are included).
   */
  plannedRecords?: number;
  /**
   * Set for `sequential` destinations only: true on the last batch this primitive gets in this
   * run (a vendor session's last batch, e.g. Meta's `last_batch_flag`), false before it.
   */
  lastBatch?: boolean;
}

/**
 * A batch primitive. Returns one RecordResult per record, in order, or throws a DestinationError
 * for the whole batch (auth/config stop the run; retryable/rate_limit are retried by the runner;
 * record on a batch makes the runner split it to isolate the bad rows).
 */
export type BatchPrimitive<S> = (
  ctx: DestinationContext<S>,
  records: DestinationRecord[],
) => Promise<RecordResult[]>;

/** Names of the batch primitives. */
export type PrimitiveName =
  | 'upsert'
  | 'update'
  | 'insert'
  | 'remove'
  | 'addMembers'
  | 'removeMembers'
  | 'erase';

/**
 * How a destination erases a person (privacy requests), declared for the ledger, `weft privacy
 * status` and docs/privacy.md. The `erase` primitive does the work.
 */
export interface ErasureSpec {
  /** The ledger's `action`, e.g. `hubspot.gdpr_delete`. */
  action: string;
  /** What the vendor does, in one sentence (e.g. HubSpot also blocklists the email). */
  effect: string;
  /** Records per `erase` call when it differs from `capabilities.batch` (e.g. 1 for a per-person API). */
  batch?: BatchLimits;
  /** The erase endpoint's own rate limit, when stricter than the account's (Klaviyo: 3/s burst). */
  rateLimit?: RateLimit;
}

/** Declared type of a destination field; the runner casts and validates mapped values against it. */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'datetime' | 'date' | 'json';

/** One destination field in the declared field schema. */
export interface FieldSpec {
  type: FieldType;
  /** Records lacking it are rejected by the runner before sending. */
  required?: boolean;
  /** Strings longer than this are rejected by the runner. */
  maxLength?: number;
  description?: string;
  /** Allowed values (enumerations, picklists): the runner rejects a row with any other value. */
  options?: string[];
  /** Computed or system-managed: a sync may not map to it (plan fails). */
  readOnly?: boolean;
}

/** Batch limits: the runner never hands a primitive more than this. */
export interface BatchLimits {
  maxRecords: number;
  /** Upper bound on the sum of `recordBytes(record)` (see limits.ts) per batch. */
  maxBytes?: number;
}

/**
 * A rate limit: at most `requests` HTTP requests per rolling `perMs` milliseconds for the account
 * — every request a primitive sends through `ctx.http` (reads, job polls, deletes included), and
 * field discovery's; primitive calls are paced by it too.
 */
export interface RateLimit {
  requests: number;
  perMs: number;
}

/** Limits the runner applies for one destination instance (static capabilities merged with settings). */
export interface DestinationLimits {
  batch: BatchLimits;
  rateLimit?: RateLimit;
  /** Max primitive calls in flight at once. */
  concurrency: number;
  /**
   * HTTP requests (every one a primitive sends through `ctx.http`, retries included) allowed per UTC day for the whole account;
   * the runner counts them in `state_schema.destination_usage` and stops a run when used up.
   */
  dailyQuota?: number;
}

/** What a destination can do, declared up front. */
export interface DestinationCapabilities extends DestinationLimits {
  modes: SyncMode[];
  /** Destination fields a sync may `match_on`; absent = any field (e.g. the webhook). */
  identifiers?: string[];
  /** Field schema (name → spec); absent = free-form fields. */
  fields?: Record<string, FieldSpec>;
}

/**
 * A bulk path (e.g. Salesforce Bulk API 2.0): for large change sets the runner batches with
 * `batch` instead of `capabilities.batch` and sets `ctx.bulk`. Chosen per run and primitive.
 */
export interface BulkPath {
  /** Use the bulk path when the plan sends at least this many records through one primitive. */
  threshold: number;
  /** Batch limits of one bulk call (one bulk job per batch). */
  batch: BatchLimits;
  /** Bulk batches in flight at once for one run (default 1). */
  concurrency?: number;
  /** Primitives that have a bulk form (default: all); the others keep `capabilities.batch`. */
  primitives?: PrimitiveName[];
}

/** Raw facts about an HTTP response, as given to `classifyHttpResponse` and the refine hook. */
export interface HttpResponseInfo {
  status: number;
  headers: Headers;
  /** Body text (possibly truncated); never contains request secrets. */
  body: string;
}

/** Everything a connector declares. Pass it to `defineDestination`. */
export interface DestinationSpec<Schema extends z.ZodType = z.ZodType> {
  /** The connection `type` in weft.yml, e.g. `webhook`. */
  type: string;
  /** One-line description for `weft sandbox`, docs and errors. */
  description: string;
  /** Settings schema; mark secrets with `secret(...)` (settings.ts) so they are redacted. */
  settings: Schema;
  /**
   * Other names weft.yml may use for a setting (alias → setting), e.g. HubSpot's `token` for
   * `access_token`. Giving both is a config error.
   */
  settingAliases?: Record<string, string>;
  capabilities: DestinationCapabilities;
  /**
   * The bulk path, when the vendor has one; settings-dependent (e.g. a `bulk_threshold` setting)
   * or fixed. Absent: every batch follows `capabilities.batch`.
   */
  bulk?: BulkPath | ((settings: z.output<Schema>) => BulkPath | undefined);
  /**
   * The batches of one primitive in one run form one ordered vendor session (Meta's `session_id`,
   * `batch_seq`, `last_batch_flag`): the runner sends them one at a time, each after the previous
   * one settled (retries included), holds each full batch back until the next one fills or the
   * plan ends, and sets `ctx.lastBatch` (and `ctx.plannedRecords`). Default false.
   */
  sequential?: boolean;
  /** Settings-dependent limits (e.g. a `batch_size` setting); merged over `capabilities`. */
  limits?: (settings: z.output<Schema>) => Partial<DestinationLimits>;
  /**
   * Which account the settings write to, for shared rate budgets: connections returning the
   * same value share one rate limit and daily quota (e.g. the webhook: the URL's origin and
   * path). Absent: every connection is its own account. Never include secrets.
   */
  account?: (settings: z.output<Schema>) => string;
  /** Base URL (for the HTTP client) from settings; absolute URLs in requests ignore it. */
  baseUrl?: (settings: z.output<Schema>) => string | undefined;
  /** Default headers for every request (e.g. Authorization). Values are redacted from logs. */
  headers?: (settings: z.output<Schema>) => Record<string, string>;
  /**
   * Vendor quirks: refine the generic classification of a non-2xx (or odd 2xx) response.
   * Return undefined to keep `generic`.
   */
  refineError?: (response: HttpResponseInfo, generic: DestinationError) => DestinationError | undefined;
  /**
   * Reads the live field schema of `ctx.object` (e.g. HubSpot's properties, Salesforce's
   * describe). When present, `weft plan` and `weft sync` call it once per run before anything is
   * sent and check the mappings against it (unknown or read-only field, incompatible column
   * type: a config error; a value outside `options`: that row is rejected). Merged over
   * `capabilities.fields`. Throws a DestinationError when the schema cannot be read.
   */
  discoverFields?: (ctx: DestinationContext<z.output<Schema>>) => Promise<Record<string, FieldSpec>>;
  /** Cheap check that settings and credentials work; throws a DestinationError otherwise. */
  testConnection?: (ctx: DestinationContext<z.output<Schema>>) => Promise<void>;
  upsert?: BatchPrimitive<z.output<Schema>>;
  update?: BatchPrimitive<z.output<Schema>>;
  insert?: BatchPrimitive<z.output<Schema>>;
  /** Deletes records (mirror mode, `removed` records). */
  remove?: BatchPrimitive<z.output<Schema>>;
  /** Adds records to `ctx.list` (membership mode). */
  addMembers?: BatchPrimitive<z.output<Schema>>;
  /** Removes records from `ctx.list` (membership mode). */
  removeMembers?: BatchPrimitive<z.output<Schema>>;
  /**
   * Erases people (privacy requests): each record is one acknowledged snapshot row of a sync
   * (`key`, `destinationId`, op `removed`, no fields), with the sync's `ctx` (object, match_on,
   * list). Idempotent: a person the vendor no longer has is `ok`. Requires `erasure`.
   */
  erase?: BatchPrimitive<z.output<Schema>>;
  /** What `erase` does at the vendor; a destination without it cannot erase (reported, never skipped). */
  erasure?: ErasureSpec;
  /** Erases one person everywhere the destination holds them, by one identifier. */
  deletePerson?: (ctx: DestinationContext<z.output<Schema>>, identifier: string) => Promise<void>;
}

/** A validated destination definition, as returned by `defineDestination` and held by the registry. */
export interface DestinationDefinition<Schema extends z.ZodType = z.ZodType> extends DestinationSpec<Schema> {
  readonly kind: 'weft.destination';
}

/** Any destination definition (registry element type). */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds destinations of every settings type
export type AnyDestination = DestinationDefinition<any>;
