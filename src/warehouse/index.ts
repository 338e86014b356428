/** The warehouse layer's public surface: contracts, registry and the engines weft ships with. */

export * from './abilities.js';
export { DEFAULT_DUCKDB_PATH } from './duckdb/database-path.js';
export { DuckDBWarehouse, duckdbDialect, duckdbEngine } from './duckdb/index.js';
export { getEngine, openWarehouse, registerEngine, registeredEngines } from './registry.js';
export * from './types.js';
