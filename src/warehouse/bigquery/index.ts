import type { WarehouseConnectionConfig, WarehouseEngine } from '../types.js';
import { bigqueryDialect } from './dialect.js';
import { retryRateLimited } from './jobs.js';
import { openError } from './open-error.js';
import { bigQuerySettings, clientOptions } from './settings.js';
import { BigQueryWarehouse } from './warehouse.js';

/**
 * The BigQuery engine. `project` (required), `location` (default US), auth by `key_file`
 * (relative to the project), `credentials` (the key JSON itself) or Application Default
 * Credentials, `maximum_bytes_billed` (cost guard on every query job) and `api_endpoint` (or
 * BIGQUERY_EMULATOR_HOST). Opening dry-runs `SELECT 1` (free), so a bad key, project, permission
 * or endpoint fails here with a WarehouseError saying what to fix.
 */
export const bigqueryEngine: WarehouseEngine = {
  name: 'bigquery',
  dialect: bigqueryDialect,
  async open(config: WarehouseConnectionConfig, { projectDir }: { projectDir: string }) {
    const settings = bigQuerySettings(config, projectDir);
    // Loaded on first open: importing the client costs ~300 ms, which every weft command would pay.
    const { BigQuery } = await import('@google-cloud/bigquery');
    const options = clientOptions(settings);
    const bigquery = new BigQuery(options);
    // The reachability check (same auth client) retries once, not the client's default three
    // times with backoff (~16 s before a wrong endpoint or a closed port is reported).
    const probe = new BigQuery({ ...options, maxRetries: 1 });
    try {
      await retryRateLimited(() =>
        probe.createQueryJob({
          query: 'SELECT 1',
          useLegacySql: false,
          dryRun: true,
          location: settings.location,
        }),
      );
    } catch (error) {
      throw openError(error, settings);
    }
    return new BigQueryWarehouse(
      bigquery,
      bigqueryDialect,
      settings.location,
      settings.maximumBytesBilled,
      settings.shown,
      settings.dataset ? { projectId: settings.projectId, datasetId: settings.dataset } : undefined,
    );
  },
};

export { bigqueryDialect } from './dialect.js';
export { BigQueryWarehouse } from './warehouse.js';
