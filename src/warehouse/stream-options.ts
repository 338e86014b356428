/** `StreamOptions.chunkRows`, shared by every engine's `stream`. */

/**
 * Rows per yielded batch when the caller does not say: one DuckDB vector, and the same on the
 * other engines. Measured in bench/stream-memory.mjs on 1M 8-column rows: 2048-row batches keep
 * the extra RSS near 40 MB, 4096 near 75 MB and 10 000 over 100 MB, because bigger batches
 * survive more garbage collections and delay the release of native chunks.
 */
export const DEFAULT_STREAM_CHUNK_ROWS = 2048;

/** Validates `StreamOptions.chunkRows` (default `DEFAULT_STREAM_CHUNK_ROWS`). */
export function chunkRowsOption(chunkRows: number | undefined): number {
  const value = chunkRows ?? DEFAULT_STREAM_CHUNK_ROWS;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`chunkRows must be a positive integer, got ${value}`);
  }
  return value;
}
