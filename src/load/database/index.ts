/**
 * Loading a table or query of an operational database (MySQL/MariaDB, Postgres, SQL Server) into
 * a source table through knex, streamed, incremental by a cursor column.
 * CONTRACT STUB: filled in by the database-loads work (issue 13, item 3).
 */
import type { Project } from '../../config/types.js';
import type { Warehouse } from '../../warehouse/types.js';
import type { LoadMode, LoadProgress, LoadSummary } from '../types.js';

/** What `weft load --from URL (--table T | --query SQL) --into SOURCE.TABLE` asks for. */
export interface DatabaseLoadRequest {
  /** A database URL (`mysql://…`, `mariadb://…`, `postgres://…`, `mssql://…`) or the name of a `loads:` entry's connection. */
  from: string;
  table?: string;
  query?: string;
  /** `SOURCE.TABLE`. */
  into: string;
  mode: LoadMode;
  key?: string[];
  /** Column whose growing values mark new rows: only rows above the last load's maximum are read. */
  cursor?: string;
  /** Read everything again, ignoring the stored cursor. */
  full?: boolean;
}

/** Loads from an operational database into the warehouse. */
export async function loadFromDatabase(
  _project: Project,
  _warehouse: Warehouse,
  _request: DatabaseLoadRequest,
  _progress: LoadProgress = {},
): Promise<LoadSummary> {
  throw new Error('weft load --from is not implemented yet');
}
