import { WarehouseError } from '../types.js';

/** A failed connection as a WarehouseError saying what failed and what to check; the driver's error is `cause`. */
export function openError(error: unknown, shown: string): WarehouseError {
  const reason = error instanceof Error ? error.message || error.name : String(error);
  return new WarehouseError(
    `Cannot connect to the Postgres warehouse at ${shown}: ${reason}. ` +
      'Check that the server is running and reachable, and the URL (WEFT_WAREHOUSE_URL or weft.yml warehouse.url) ' +
      'or host/port/database/user/password settings, and that the user may log in to that database.',
    undefined,
    { cause: error },
  );
}
