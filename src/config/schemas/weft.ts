/** weft.yml: the project file. */
import { z } from 'zod';
import { identifier, strictObject, text } from './common.js';

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
});

const postgres = strictObject({
  type: z.literal('postgres'),
  url: text.optional().describe('postgres://user:password@host:port/database'),
  host: text.optional(),
  port: port.optional(),
  database: text.optional(),
  user: text.optional(),
  password: z.string().optional(),
});

const bigquery = strictObject({
  type: z.literal('bigquery'),
  project: text,
  dataset: text.optional(),
  location: text.optional(),
  apiEndpoint: text.optional().describe('Override the API endpoint (e.g. an emulator)'),
});

const snowflake = strictObject({
  type: z.literal('snowflake'),
  account: text,
  user: text.optional(),
  password: z.string().optional(),
  database: text.optional(),
  warehouse: text.optional(),
  role: text.optional(),
  accessUrl: text.optional().describe('Override the account URL (e.g. an emulator)'),
});

/** The `warehouse:` block. */
export const warehouseSchema = z.discriminatedUnion('type', [duckdb, postgres, bigquery, snowflake]);

/** A destination connection: its connector type plus connector-specific settings. */
export const connectionSchema = z.looseObject({ type: text.describe('Connector name, e.g. hubspot') });

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
});

/** weft.yml after defaults. */
export type WeftFile = z.output<typeof weftFileSchema>;
/** A validated `warehouse:` block. */
export type WarehouseSettings = z.output<typeof warehouseSchema>;
