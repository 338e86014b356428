import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BigQueryOptions } from '@google-cloud/bigquery';
import { parseWarehouseUrl } from '../../config/warehouse-url.js';
import { type WarehouseConnectionConfig, WarehouseError } from '../types.js';
import { serviceAccountAuthClient } from './auth-client.js';

/** A service-account key as Google issues it (only the fields weft reads). */
export interface ServiceAccountKey {
  type?: string;
  project_id?: string;
  client_email?: string;
  private_key?: string;
  private_key_id?: string;
  token_uri?: string;
}

/** The engine's settings, read once from the `warehouse:` block (or a bigquery:// URL). */
export interface BigQuerySettings {
  projectId: string;
  location: string;
  /** The default dataset for unqualified table names (`dataset` setting), on every query job. */
  dataset: string | undefined;
  /** Where requests go: the `api_endpoint` setting or BIGQUERY_EMULATOR_HOST; undefined: Google. */
  apiEndpoint: string | undefined;
  /** The cost guard every query job carries (an int64 as text), when configured. */
  maximumBytesBilled: string | undefined;
  /** How the client authenticates, for messages: never the key itself. */
  authSource: string;
  /** The service-account key, when one was given (key_file or credentials). */
  key: ServiceAccountKey | undefined;
  /** `project` (location), for messages. */
  shown: string;
}

function text(config: WarehouseConnectionConfig, name: string): string | undefined {
  const value = config[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new WarehouseError(`BigQuery warehouse setting ${name} must be text, got ${typeof value}`);
  }
  return String(value);
}

/** `url: bigquery://project?location=…` fills the keys it carries (explicit keys win). */
function withUrl(config: WarehouseConnectionConfig): WarehouseConnectionConfig {
  if (typeof config.url !== 'string' || config.url === '') return config;
  const parsed = parseWarehouseUrl(config.url);
  if (!parsed.ok) throw new WarehouseError(parsed.message.replace('WEFT_WAREHOUSE_URL', 'warehouse.url'));
  if (parsed.warehouse.type !== 'bigquery')
    throw new WarehouseError(`warehouse.url is a ${parsed.warehouse.type} URL, not bigquery://…`);
  const { url: _url, ...rest } = config;
  const explicit = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return { ...parsed.warehouse, ...explicit, type: 'bigquery' };
}

/**
 * Reads and checks the settings (a `url` key, as test/support/live-engines.ts passes
 * WEFT_TEST_BIGQUERY_URL, fills the rest); a missing project or unreadable key fails with what to fix.
 */
export function bigQuerySettings(raw: WarehouseConnectionConfig, projectDir: string): BigQuerySettings {
  const config = withUrl(raw);
  const projectId = text(config, 'project');
  if (!projectId) {
    throw new WarehouseError(
      'The BigQuery warehouse needs a project: set warehouse.project in weft.yml (or WEFT_WAREHOUSE_URL=bigquery://<project>)',
    );
  }
  const location = text(config, 'location') ?? 'US';
  const apiEndpoint =
    text(config, 'api_endpoint') ?? text(config, 'apiEndpoint') ?? process.env.BIGQUERY_EMULATOR_HOST;
  const maximumBytesBilled = text(config, 'maximum_bytes_billed');
  if (maximumBytesBilled !== undefined && !/^\d+$/.test(maximumBytesBilled)) {
    throw new WarehouseError(
      `warehouse.maximum_bytes_billed must be a whole number of bytes, got ${JSON.stringify(maximumBytesBilled)}`,
    );
  }
  const keyFile = text(config, 'key_file');
  const credentials = text(config, 'credentials');
  let key: ServiceAccountKey | undefined;
  let authSource = 'Application Default Credentials';
  if (keyFile) {
    const path = resolve(projectDir, keyFile);
    authSource = `the service-account key file ${keyFile}`;
    key = parseKey(readKeyFile(path, keyFile), authSource);
  } else if (credentials) {
    authSource = 'the service-account key in warehouse.credentials';
    key = parseKey(credentials, authSource);
  }
  return {
    projectId,
    location,
    dataset: text(config, 'dataset'),
    apiEndpoint,
    maximumBytesBilled,
    authSource,
    key,
    shown: `${projectId} (${location})`,
  };
}

function readKeyFile(path: string, shown: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new WarehouseError(
      `Cannot read the BigQuery service-account key file ${shown} (${code}). Check warehouse.key_file (relative to the project directory).`,
      undefined,
      { cause: error },
    );
  }
}

/** Parses key JSON; the message never quotes the text (it holds a private key). */
function parseKey(json: string, source: string): ServiceAccountKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new WarehouseError(
      `${capitalize(source)} is not valid JSON. Download a JSON key for the service account (IAM → Service accounts → Keys).`,
    );
  }
  const key = parsed as ServiceAccountKey;
  if (!key || typeof key !== 'object' || !key.client_email || !key.private_key) {
    throw new WarehouseError(
      `${capitalize(source)} is not a service-account key (it needs client_email and private_key).`,
    );
  }
  return key;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Options for the BigQuery client: a service-account key becomes a JWT auth client, else ADC. */
export function clientOptions(settings: BigQuerySettings): BigQueryOptions {
  const options: BigQueryOptions = { projectId: settings.projectId, location: settings.location };
  if (settings.apiEndpoint) options.apiEndpoint = settings.apiEndpoint;
  if (settings.key) options.authClient = serviceAccountAuthClient(settings.key);
  return options;
}
