import type { WarehouseConnectionConfig } from '../../../src/warehouse/types.js';
import type { SnowflakeEmulator } from './index.js';

/** A `warehouse:` config logging in to the emulator with the password user. */
export function passwordConfig(
  emulator: SnowflakeEmulator,
  extra: Partial<WarehouseConnectionConfig> = {},
): WarehouseConnectionConfig {
  return {
    type: 'snowflake',
    account: emulator.account,
    user: emulator.users.password.name,
    password: emulator.users.password.password,
    database: 'WEFT',
    warehouse: 'EMULATOR_WH',
    role: 'PUBLIC',
    access_url: emulator.url,
    ...extra,
  };
}

/** A `warehouse:` config logging in to the emulator with the key-pair user's PEM private key. */
export function keyPairConfig(
  emulator: SnowflakeEmulator,
  extra: Partial<WarehouseConnectionConfig> = {},
): WarehouseConnectionConfig {
  return {
    type: 'snowflake',
    account: emulator.account,
    user: emulator.users.keyed.name,
    private_key: emulator.users.keyed.keyPair.privateKey,
    database: 'WEFT',
    access_url: emulator.url,
    ...extra,
  };
}
