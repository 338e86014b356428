import type { Connection } from 'snowflake-sdk';
import type { WarehouseConnectionConfig, WarehouseEngine } from '../types.js';
import { connect, destroy, run } from './client.js';
import { snowflakeTarget } from './connect-options.js';
import { snowflakeDialect } from './dialect.js';
import { openError } from './open-error.js';
import { withSql } from './statement-error.js';
import { SnowflakeWarehouse } from './warehouse.js';

/** The schema weft qualifies its session temp tables with (`snowflakeDialect.tempRelation`). */
const SESSION_SCHEMA = snowflakeDialect.tempRelation('scratch').schema;

/**
 * The Snowflake engine over snowflake-sdk. `account`, `user` and a password or key pair
 * (`private_key` / `private_key_path` resolved against the project, `private_key_passphrase`)
 * pick the login; `database`, `warehouse`, `role` the session; `access_url` overrides the
 * account URL. Opening logs in once (a wrong password, key or account fails here with a
 * WarehouseError saying what to check, never a secret), then tags the session for cost
 * attribution (QUERY_TAG, default 'weft'), sets TIMEZONE = 'UTC' and QUOTED_IDENTIFIERS_IGNORE_CASE
 * = TRUE (weft's quoted lowercase names and the unquoted names of shared SQL and user models then
 * resolve alike, stored upper-case; result names are folded back, see read-values.ts), and
 * creates the schema session temp tables are qualified with.
 */
export const snowflakeEngine: WarehouseEngine = {
  name: 'snowflake',
  dialect: snowflakeDialect,
  async open(config: WarehouseConnectionConfig, { projectDir }) {
    const target = snowflakeTarget(config, projectDir);
    let connection: Connection;
    try {
      connection = await connect(target.options);
    } catch (error) {
      throw openError(error, target);
    }
    try {
      for (const sql of [
        `ALTER SESSION SET QUERY_TAG = ${snowflakeDialect.literal(target.queryTag)}, TIMEZONE = 'UTC', ` +
          'QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE',
        snowflakeDialect.createSchema(SESSION_SCHEMA),
      ])
        await withSql(sql, () => run(connection, sql));
    } catch (error) {
      await destroy(connection);
      throw error;
    }
    return new SnowflakeWarehouse(connection, snowflakeDialect, target.shown);
  },
};

export { snowflakeDialect } from './dialect.js';
export { SnowflakeWarehouse } from './warehouse.js';
