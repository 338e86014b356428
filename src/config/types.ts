/**
 * The loaded, validated project: what the compiler, builder and CLI consume.
 * Produced by `loadProject` (src/config/project.ts) from weft.yml, models/ and syncs/.
 */
import type { WarehouseConnectionConfig } from '../warehouse/types.js';
import type { AudienceConfig } from './schemas/audience.js';
import type { DbtConfig } from './schemas/dbt.js';
import type { EventsConfig } from './schemas/events.js';
import type { IdentityConfig } from './schemas/identity.js';
import type { LoadConfig } from './schemas/loads.js';
import type { PrivacyConfig } from './schemas/privacy.js';
import type { ProfilesConfig } from './schemas/profiles.js';
import type { ServeConfig } from './schemas/serve.js';
import type { SyncConfig } from './schemas/sync.js';
import type { TriggerConfig } from './schemas/trigger.js';
import type { AlertsConfig } from './schemas/weft.js';

export type { AudienceConfig, Condition } from './schemas/audience.js';
export type { IdentityConfig } from './schemas/identity.js';
export type { ProfilesConfig, TraitConfig } from './schemas/profiles.js';
export type { SyncConfig } from './schemas/sync.js';
export type { TriggerConfig } from './schemas/trigger.js';
export type { AlertsConfig } from './schemas/weft.js';
export type { DbtConfig, EventsConfig, LoadConfig, ServeConfig };

/** How a model is written to the warehouse. */
export type Materialization = 'view' | 'table' | 'incremental';

/** A model's config, from its leading `/* config: … *\/` block or its sidecar `.yml`. */
export interface ModelConfig {
  materialized: Materialization;
  /** incremental: the column(s) identifying a row; rows with a matching key are replaced. */
  unique_key?: string[];
  /** Override the project schema for this model. */
  schema?: string;
  description?: string;
  tags: string[];
  enabled: boolean;
}

/** One SQL model file. Its name is its file name without `.sql`. */
export interface ModelDef {
  name: string;
  /** Path relative to the project directory, with forward slashes. */
  path: string;
  /** The raw (unrendered) SQL, config comment block included. */
  sql: string;
  config: ModelConfig;
}

/** One table of a declared source. */
export interface SourceTableDef {
  name: string;
  /** The table's name in the warehouse (defaults to `name`). */
  identifier: string;
  description?: string;
  /** The table's own schema, overriding its source's (dbt builds models into several schemas). */
  schema?: string;
  /** Present when the table is made from files (`files:` in sources.yml). */
  files?: SourceFiles;
}

/**
 * A file source: files read in place on DuckDB (a view) or loaded into the table by `weft build`
 * / `weft load` elsewhere.
 */
export interface SourceFiles {
  /** Files or globs, relative to the project directory (absolute allowed). */
  patterns: string[];
  /** Absent: by the files' extension. */
  format?: 'csv' | 'tsv' | 'json' | 'ndjson' | 'parquet';
  header?: boolean;
  delimiter?: string;
  /** Column name → DuckDB type name overriding the detected one. */
  types?: Record<string, string>;
  hivePartitioning?: boolean;
  /** DuckDB: a table loaded from the files instead of a view reading them in place. */
  materialized: boolean;
}

/** A source from models/sources.yml: raw tables loaded by something other than weft models. */
export interface SourceDef {
  name: string;
  schema: string;
  description?: string;
  tables: SourceTableDef[];
  /** sources.yml `privacy.delete`: statements erasing a person from this source (see docs/privacy.md). */
  privacyDelete?: string[];
}

/** weft.yml after env rendering and defaults. */
export interface WeftConfig {
  name: string;
  /** Where models and outputs are written. Default `weft`. */
  schema: string;
  /** Where snapshots, runs, rejections and journals live. Default `weft_state`. */
  state_schema: string;
  warehouse: WarehouseConnectionConfig;
  /** Connection name → settings (type plus connector-specific keys), secrets rendered. */
  connections: Record<string, { type: string; [key: string]: unknown }>;
  /** Values for `{{var 'name'}}` in models. */
  vars: Record<string, unknown>;
  /** "Now" for audiences' relative dates (ISO date or date-time); absent = the warehouse's clock. */
  as_of?: string;
  /** Where bad runs are reported (weft.yml `alerts:`); absent when not configured. */
  alerts?: AlertsConfig;
  /** The event collector (weft.yml `events:`); absent when not configured. */
  events?: EventsConfig;
  /** The HTTP server of `weft serve` (weft.yml `serve:`). */
  serve?: ServeConfig;
  /** A dbt project read as the source `dbt` (weft.yml `dbt:`). */
  dbt?: DbtConfig;
  /**
   * Connections that cannot be used in this environment, with why (a `{{env}}` variable that is
   * not set, as `weft.yml:LINE:COL  path: message`). Only syncs and alerts using them fail.
   */
  unavailable_connections?: Record<string, string>;
  /** Scheduled loads from operational databases (weft.yml `loads:`), by name. */
  loads?: Record<string, LoadConfig>;
  /** Privacy requests' deadlines (weft.yml `privacy:`); absent = GDPR 30 days, CCPA 45. */
  privacy?: PrivacyConfig;
}

/** Everything a project holds, validated. Optional parts are absent when their file is. */
export interface Project {
  /** Absolute project directory. */
  dir: string;
  config: WeftConfig;
  sources: SourceDef[];
  models: ModelDef[];
  /** Parsed models/identity.yml (validated; used by the identity issue): its `identity:` mapping. */
  identity?: IdentityConfig;
  /** Parsed models/profiles.yml: its `profiles:` mapping. */
  profiles?: ProfilesConfig;
  /** Parsed models/audiences/*.yml, each with its file path. */
  audiences: Array<{ path: string; value: AudienceConfig }>;
  /** Parsed syncs/*.yml, each with its file path. */
  syncs: Array<{ path: string; value: SyncConfig }>;
  /** Parsed models/triggers/*.yml, each with its file path (the name is the file's); absent = none. */
  triggers?: Array<{ path: string; value: TriggerConfig }>;
  /** Values of secrets rendered from the environment, to redact from any output. */
  secrets: string[];
}
