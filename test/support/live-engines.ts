/**
 * The warehouses tests can run on: every registered engine that is reachable here. DuckDB in
 * memory always; other engines when WEFT_TEST_<NAME>_URL is set (e.g. WEFT_TEST_POSTGRES_URL).
 * Looping over this makes a newly registered engine tested the moment it is registered.
 */
import { registeredEngines } from '../../src/warehouse/registry.js';
import type { WarehouseConnectionConfig, WarehouseEngine } from '../../src/warehouse/types.js';

/** A connection config for `engine` when a live one is available, else undefined. */
export function liveConfig(engine: WarehouseEngine): WarehouseConnectionConfig | undefined {
  if (engine.name === 'duckdb') return { type: 'duckdb', path: ':memory:' };
  const url = process.env[`WEFT_TEST_${engine.name.toUpperCase()}_URL`];
  return url ? { type: engine.name, url } : undefined;
}

/** Every registered engine with a live config. */
export function liveEngines(): Array<{ engine: WarehouseEngine; config: WarehouseConnectionConfig }> {
  return registeredEngines().flatMap((engine) => {
    const config = liveConfig(engine);
    return config ? [{ engine, config }] : [];
  });
}
