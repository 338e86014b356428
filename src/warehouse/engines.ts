import { bigqueryEngine } from './bigquery/index.js';
import { duckdbEngine } from './duckdb/index.js';
import { postgresEngine } from './postgres/index.js';
import { snowflakeEngine } from './snowflake/index.js';
import type { WarehouseEngine } from './types.js';

/**
 * The engines weft ships with, registered by `registry.ts` at start-up. Adding an engine
 * means adding its folder and one entry here (see README.md).
 */
export const builtInEngines: readonly WarehouseEngine[] = [
  duckdbEngine,
  postgresEngine,
  bigqueryEngine,
  snowflakeEngine,
];
