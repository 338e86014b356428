import path from 'node:path';
import type { ConnectionOptions } from 'snowflake-sdk';
import { parseWarehouseUrl } from '../../config/warehouse-url.js';
import { type WarehouseConnectionConfig, WarehouseError } from '../types.js';

/** What `open` needs: the SDK's options, a secret-free description, and the session settings. */
export interface SnowflakeTarget {
  options: ConnectionOptions;
  /** `user@account/database`, for messages (never a password or key). */
  shown: string;
  /** The QUERY_TAG every session sets (cost attribution). */
  queryTag: string;
  auth: 'password' | 'key-pair';
  /** The password, key and passphrase, to mask from any text shown. */
  secrets: string[];
}

function text(config: WarehouseConnectionConfig, key: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new WarehouseError(`Snowflake warehouse setting ${key} must be text`);
  return value;
}

/**
 * Reads the `warehouse:` block (or a parsed `snowflake://` URL; a `url` key fills the keys not
 * given) into snowflake-sdk connection options. Password auth when `password` is set, otherwise
 * key-pair auth (SNOWFLAKE_JWT) with
 * `private_key` (PEM text) or `private_key_path` (resolved against the project). `access_url`
 * (or `accessUrl`) overrides the account URL, e.g. for a local emulator.
 */
export function snowflakeTarget(given: WarehouseConnectionConfig, projectDir: string): SnowflakeTarget {
  const config = withUrl(given);
  const account = text(config, 'account');
  const user = text(config, 'user');
  if (!account)
    throw new WarehouseError(
      'The Snowflake warehouse needs an account (warehouse.account in weft.yml, e.g. myorg-myaccount)',
    );
  if (!user) throw new WarehouseError('The Snowflake warehouse needs a user (warehouse.user in weft.yml)');
  const database = text(config, 'database');
  const accessUrl = text(config, 'access_url') ?? text(config, 'accessUrl');
  const options: ConnectionOptions = {
    account,
    username: user,
    application: 'weft',
    ...(database ? { database } : {}),
    ...optional('warehouse', text(config, 'warehouse')),
    ...optional('role', text(config, 'role')),
    ...optional('accessUrl', accessUrl),
    // Login retries back off up to minutes by default; a wrong address should fail soon.
    sfRetryMaxLoginRetries: 3,
    // NULL stays null when NUMBER columns are fetched as text (read-values.ts), not the string 'NULL'.
    representNullAsStringNull: false,
  };
  const password = text(config, 'password');
  const privateKey = text(config, 'private_key');
  const privateKeyPath = text(config, 'private_key_path');
  const passphrase = text(config, 'private_key_passphrase');
  let auth: SnowflakeTarget['auth'] = 'password';
  if (password !== undefined) {
    options.password = password;
  } else if (privateKey || privateKeyPath) {
    auth = 'key-pair';
    options.authenticator = 'SNOWFLAKE_JWT';
    if (privateKey) options.privateKey = privateKey;
    else if (privateKeyPath) options.privateKeyPath = path.resolve(projectDir, privateKeyPath);
    if (passphrase !== undefined) options.privateKeyPass = passphrase;
  } else {
    throw new WarehouseError(
      'The Snowflake warehouse needs a password or a key pair: set warehouse.password (or the password in ' +
        'WEFT_WAREHOUSE_URL), or warehouse.private_key_path / private_key for key-pair auth',
    );
  }
  return {
    options,
    shown: `${user}@${account}${database ? `/${database}` : ''}`,
    queryTag: text(config, 'query_tag') ?? 'weft',
    auth,
    secrets: [password, privateKey, passphrase].filter((value): value is string => value !== undefined),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** `url: snowflake://user:password@account/database?warehouse=…` fills the keys it carries (explicit keys win). */
function withUrl(config: WarehouseConnectionConfig): WarehouseConnectionConfig {
  if (typeof config.url !== 'string' || config.url === '') return config;
  const parsed = parseWarehouseUrl(config.url);
  if (!parsed.ok) throw new WarehouseError(parsed.message.replace('WEFT_WAREHOUSE_URL', 'warehouse.url'));
  if (parsed.warehouse.type !== 'snowflake')
    throw new WarehouseError(`warehouse.url is a ${parsed.warehouse.type} URL, not snowflake://…`);
  const { url: _url, ...rest } = config;
  return { ...parsed.warehouse, ...rest };
}
