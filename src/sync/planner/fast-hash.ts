/**
 * The planner's fast row hash. The snapshot keeps two hashes per key: `hash`, an MD5 over the
 * values as text (stable across engines and versions: the truth), and `fast_hash`, the engine's
 * own hash (DuckDB `hash()`: ~5x cheaper than MD5, but free to change between versions), labelled
 * with its `fast_scheme`. The diff compares `fast_hash` where the label is the engine's current
 * scheme and falls back to MD5 for any other row, so an engine upgrade that changes the hash
 * costs one slower plan, never a resend of every row. See plan-sql.ts and refresh-fast-hash.ts.
 */
import type { Warehouse } from '../../warehouse/types.js';

/** The engine's fast hash, with the scheme that names it. */
export interface FastHash {
  /** SQL: the fast hash of these expressions (a BIGINT). */
  expr(exprs: string[]): string;
  /** What the engine reports for its hash (engine, version, probe hash): labels stored values. */
  scheme: string;
}

const schemes = new WeakMap<Warehouse, Promise<string | undefined>>();

/** The warehouse's fast hash, or undefined where its dialect has none (MD5 only). */
export async function fastHashOf(warehouse: Warehouse): Promise<FastHash | undefined> {
  const { dialect } = warehouse;
  const expr = dialect.fastRowHash?.bind(dialect);
  const query = dialect.fastRowHashScheme?.();
  if (!expr || !query) return undefined;
  let scheme = schemes.get(warehouse);
  if (!scheme) {
    scheme = warehouse.query(query).then(
      ([row]) => (row?.scheme == null ? undefined : String(row.scheme)),
      (error: unknown) => {
        schemes.delete(warehouse);
        throw error;
      },
    );
    schemes.set(warehouse, scheme);
  }
  const name = await scheme;
  return name === undefined ? undefined : { expr, scheme: name };
}
