import { builtInEngines } from './engines.js';
import type { Warehouse, WarehouseConnectionConfig, WarehouseEngine } from './types.js';

const enginesByName = new Map<string, WarehouseEngine>();

/** Makes an engine available to `getEngine`/`openWarehouse`; a later registration under the same name replaces it. */
export function registerEngine(engine: WarehouseEngine): void {
  if (engine.name !== engine.dialect.name) {
    throw new Error(
      `Engine "${engine.name}" has a dialect named "${engine.dialect.name}"; the names must match`,
    );
  }
  enginesByName.set(engine.name, engine);
}

/** The engine registered under `name`; an unknown name throws, listing the registered ones. */
export function getEngine(name: string): WarehouseEngine {
  const engine = enginesByName.get(name);
  if (!engine) {
    const known = [...enginesByName.keys()].sort().join(', ') || 'none';
    throw new Error(`Unknown warehouse type "${name}". Registered warehouse types: ${known}`);
  }
  return engine;
}

/** Every registered engine, in registration order. */
export function registeredEngines(): WarehouseEngine[] {
  return [...enginesByName.values()];
}

/** Opens a warehouse with the engine named by `config.type`; relative paths resolve against `projectDir`. */
export async function openWarehouse(
  config: WarehouseConnectionConfig,
  options: { projectDir: string },
): Promise<Warehouse> {
  return getEngine(config.type).open(config, options);
}

for (const engine of builtInEngines) registerEngine(engine);
