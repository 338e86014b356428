/** Opening weft's BigQuery engine against a local endpoint, for tests. */
import { bigqueryEngine } from '../../../src/warehouse/bigquery/index.js';
import type { BigQueryWarehouse } from '../../../src/warehouse/bigquery/warehouse.js';
import type { BigQueryEmulator } from './index.js';

/** The `warehouse:` block pointing at `emulator`, authenticated with its service-account key. */
export function emulatorConfig(emulator: BigQueryEmulator, extra: Record<string, unknown> = {}) {
  return {
    type: 'bigquery',
    project: emulator.projectId,
    location: emulator.location,
    credentials: JSON.stringify(emulator.serviceAccountKey),
    api_endpoint: emulator.url,
    ...extra,
  };
}

/** Opens the engine on `emulator` (`extra` adds or overrides settings). */
export async function openOnEmulator(
  emulator: BigQueryEmulator,
  extra: Record<string, unknown> = {},
  projectDir = process.cwd(),
): Promise<BigQueryWarehouse> {
  return (await bigqueryEngine.open(emulatorConfig(emulator, extra), { projectDir })) as BigQueryWarehouse;
}
