/**
 * Optional warehouse abilities. The `Warehouse` contract is what every engine does; an ability
 * is extra, so callers test for it with a type guard instead of checking the engine's name.
 */
import type { Warehouse } from './types.js';

/** What a dry run says a query would cost, without running it. */
export interface CostEstimate {
  /** Bytes the query would process (what on-demand pricing bills). */
  bytesProcessed: number;
  /** Bytes billed, after the engine's minimums, when it reports them. */
  bytesBilled?: number;
}

/** A warehouse that can price a query before running it (BigQuery's dry run). */
export interface CostEstimating {
  /** Dry-runs `sql` and returns its estimate; throws a WarehouseError when the SQL is invalid. */
  estimateCost(sql: string): Promise<CostEstimate>;
}

/** Whether `warehouse` can dry-run queries for a cost estimate. */
export function canEstimateCost(warehouse: Warehouse): warehouse is Warehouse & CostEstimating {
  return typeof (warehouse as Partial<CostEstimating>).estimateCost === 'function';
}

/** A warehouse whose SQL reads local files in place (DuckDB: read_csv, read_json, read_parquet, glob). */
export interface ReadsLocalFiles {
  readonly readsLocalFiles: true;
}

/** Whether `warehouse` can read local files with its own SQL (no copy through Node needed). */
export function canReadLocalFiles(warehouse: Warehouse): warehouse is Warehouse & ReadsLocalFiles {
  return (warehouse as Partial<ReadsLocalFiles>).readsLocalFiles === true;
}

/**
 * A warehouse whose temporary tables live in the memory its later statements need (DuckDB:
 * under memory_limit, spilling to disk past it), so a long job drops them as soon as they are read.
 */
export interface TempTablesInMemory {
  readonly tempTablesInMemory: true;
}

/** Whether `warehouse` keeps temporary tables in the memory its statements run in. */
export function keepsTempTablesInMemory(warehouse: Warehouse): warehouse is Warehouse & TempTablesInMemory {
  return (warehouse as Partial<TempTablesInMemory>).tempTablesInMemory === true;
}
