/** The warehouse layer's public surface: contracts, registry and the engines weft ships with. */

export * from './abilities.js';
export { BigQueryWarehouse, bigqueryDialect, bigqueryEngine } from './bigquery/index.js';
export { DEFAULT_DUCKDB_PATH } from './duckdb/database-path.js';
export { DuckDBWarehouse, duckdbDialect, duckdbEngine } from './duckdb/index.js';
export { PostgresWarehouse, postgresDialect, postgresEngine } from './postgres/index.js';
export { getEngine, openWarehouse, registerEngine, registeredEngines } from './registry.js';
export { SnowflakeWarehouse, snowflakeDialect, snowflakeEngine } from './snowflake/index.js';
export * from './types.js';
