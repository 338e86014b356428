/** weft.yml: the project file. */
import { z } from 'zod';
import { identifier, strictObject, text } from './common.js';
import { dbtSchema } from './dbt.js';
import { eventsSchema } from './events.js';
import { loadsSchema } from './loads.js';
import { privacySchema } from './privacy.js';
import { serveSchema } from './serve.js';

/** Default DuckDB database file, relative to the project directory. */
export const DEFAULT_DUCKDB_PATH = '.weft/warehouse.duckdb';

const port = z.coerce.number().int().min(1).max(65535);

const duckdb = strictObject({
  type: z.literal('duckdb'),
  path: text.default(DEFAULT_DUCKDB_PATH).describe("Database file (relative to the project) or ':memory:'"),
  memory_limit: text
    .optional()
    .describe(
      "DuckDB's memory_limit, e.g. '512MB' (default: DuckDB's, 80% of RAM); bigger work spills to disk",
    ),
  threads: z
    .number()
    .int()
    .min(1)
    .max(1024)
    .optional()
    .describe('DuckDB worker threads (default: one per core)'),
  lock_timeout: z
    .number()
    .min(0)
    .optional()
    .describe(
      'Seconds to wait for the file while another weft process (serve, schedule) holds it (default 30; 0: fail at once)',
    ),
});

const postgres = strictObject({
  type: z.literal('postgres'),
  url: text.optional().describe('postgres://user:password@host:port/database'),
  host: text.optional(),
  port: port.optional(),
  database: text.optional(),
  user: text.optional(),
  password: z.string().optional(),
  max_connections: z
    .number()
    .int()
    .min(2)
    .max(1000)
    .optional()
    .describe('Pool size: connections weft may hold open (default 10; one is the session connection)'),
});

const bigquery = strictObject({
  type: z.literal('bigquery'),
  project: text.describe('Google Cloud project that runs the query jobs (and holds the datasets)'),
  dataset: text
    .optional()
    .describe('Default dataset for unqualified table names in models (weft names its own datasets)'),
  location: text.optional().describe("Dataset and job location, e.g. 'US' or 'EU' (default US)"),
  key_file: text
    .optional()
    .describe(
      'Service-account key file (JSON), relative to the project; default: Application Default Credentials',
    ),
  credentials: z
    .string()
    .optional()
    .describe('Service-account key JSON itself, e.g. "{{env \'GCP_SA_KEY\'}}" (a secret)'),
  maximum_bytes_billed: z
    .union([z.number().int().positive(), z.string().regex(/^\d+$/)])
    .optional()
    .describe('Cost guard: a query that would bill more bytes fails instead of running'),
  api_endpoint: text
    .optional()
    .describe('Override the API endpoint (e.g. an emulator); BIGQUERY_EMULATOR_HOST also works'),
  apiEndpoint: text.optional().describe('Old spelling of api_endpoint'),
});

const snowflake = strictObject({
  type: z.literal('snowflake'),
  account: text.describe('Account identifier, e.g. myorg-myaccount'),
  user: text.optional(),
  password: z.string().optional().describe('Password auth (a secret); or use private_key / private_key_path'),
  private_key: z.string().optional().describe('Key-pair auth: the PEM private key itself (a secret)'),
  private_key_path: text.optional().describe('Key-pair auth: PEM private key file, relative to the project'),
  private_key_passphrase: z.string().optional().describe('Passphrase of an encrypted private key (a secret)'),
  database: text.optional(),
  warehouse: text.optional().describe('Virtual warehouse that runs the queries'),
  role: text.optional(),
  query_tag: text
    .optional()
    .describe("QUERY_TAG set on every session, for cost attribution (default 'weft')"),
  access_url: text.optional().describe('Override the account URL (e.g. an emulator)'),
  accessUrl: text.optional().describe('Old spelling of access_url'),
});

/** The `warehouse:` block. */
export const warehouseSchema = z.discriminatedUnion('type', [duckdb, postgres, bigquery, snowflake]);

/** A destination connection: its connector type plus connector-specific settings. */
export const connectionSchema = z.looseObject({ type: text.describe('Connector name, e.g. hubspot') });

/** An ISO 8601 date or date-time (`2025-06-01`, `2025-06-01T00:00:00Z`, `2025-06-01 12:00:00+02:00`). */
export const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** Run outcomes an alert can be sent for. */
export const alertTriggers = ['failed', 'partial'] as const;

/** The `alerts:` block: where to report bad scheduled runs (and `weft sync --alert` runs). */
export const alertsSchema = strictObject({
  connection: identifier.describe('A connection from weft.yml of type webhook or slack'),
  on: z
    .array(z.enum(alertTriggers))
    .min(1)
    .default([...alertTriggers])
    .describe('Run statuses that raise an alert (default: failed and partial)'),
  max_rejection_rate: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Also alert when rejected / (acknowledged + rejected) is above this share, e.g. 0.05'),
});

/** Connection types an alert can be sent to. */
export const alertConnectionTypes = ['webhook', 'slack'] as const;

/** weft.yml. */
export const weftFileSchema = strictObject({
  name: text.describe('Project name'),
  schema: identifier.default('weft').describe('Where models and outputs are written'),
  state_schema: identifier
    .default('weft_state')
    .describe('Where snapshots, runs, rejections and journals live'),
  warehouse: warehouseSchema.default({ type: 'duckdb', path: DEFAULT_DUCKDB_PATH }),
  connections: z.record(identifier, connectionSchema).default({}),
  vars: z.record(z.string(), z.unknown()).default({}).describe("Values for {{var 'name'}} in models"),
  as_of: text
    .regex(ISO_INSTANT, "must be an ISO date or date-time, e.g. '2025-06-01' or '2025-06-01T00:00:00Z'")
    .refine(
      (v) => !ISO_INSTANT.test(v) || !Number.isNaN(Date.parse(v.replace(' ', 'T'))),
      'is not a real date',
    )
    .optional()
    .describe(
      "'now' for audiences' relative dates (within_days …), e.g. '2025-06-01T00:00:00Z' (no zone = UTC). Default: the warehouse's clock. Env WEFT_AS_OF overrides",
    ),
  alerts: alertsSchema.optional().describe('Send failed/partial runs to a webhook or Slack connection'),
  events: eventsSchema
    .optional()
    .describe('The event collector of `weft serve`: sources, log, landing, MQTT'),
  serve: serveSchema.optional().describe('The HTTP server of `weft serve`'),
  dbt: dbtSchema.optional().describe('A dbt project whose models are the source `dbt`'),
  loads: loadsSchema.optional().describe('Scheduled loads from operational databases'),
  privacy: privacySchema.optional().describe('Privacy requests: legal deadlines per regulation'),
}).superRefine((file, ctx) => {
  // The alerts connection must exist and be one an alert can be sent to.
  if (!file.alerts) return;
  const name = file.alerts.connection;
  const connection = file.connections[name];
  const path = ['alerts', 'connection'];
  if (!connection) {
    const known = Object.keys(file.connections).join(', ') || 'none';
    ctx.addIssue({ code: 'custom', path, message: `unknown connection '${name}' (connections: ${known})` });
  } else if (!(alertConnectionTypes as readonly string[]).includes(connection.type)) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `connection '${name}' has type '${connection.type}'; alerts go to a webhook or slack connection`,
    });
  }
});

/** weft.yml after defaults. */
export type WeftFile = z.output<typeof weftFileSchema>;
/** A validated `alerts:` block. */
export type AlertsConfig = z.output<typeof alertsSchema>;
/** A validated `warehouse:` block. */
export type WarehouseSettings = z.output<typeof warehouseSchema>;
