/**
 * Labels snapshot rows with the engine's current fast-hash scheme (planner/fast-hash.ts) where
 * they hold another one or none: rows written before fast hashes existed, or by an engine
 * version whose hash differs. Only rows whose source values still hash (MD5) to what was sent
 * are relabelled, so the label always describes the values the destination acknowledged. The
 * planner compares such rows by MD5 until then: correct, only slower. Run by a sync run under
 * its lease (it writes the snapshot), after the plan.
 */
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import { fastHashOf } from '../planner/fast-hash.js';

/** What a refresh needs: the plan's source, key, hashed columns and mapping fingerprint. */
export interface FastHashRefresh {
  source: RelationRef;
  snapshot: RelationRef;
  key: string;
  columns: string[];
  fingerprint: string;
}

/** Relabels the snapshot's stale rows; returns how many were stale before (0: nothing ran). */
export async function refreshFastHashes(warehouse: Warehouse, input: FastHashRefresh): Promise<number> {
  const fast = await fastHashOf(warehouse);
  if (!fast) return 0;
  const d = warehouse.dialect;
  const q = (name: string) => d.quoteIdent(name);
  const scheme = d.literal(fast.scheme);
  const stale = `(${q('fast_scheme')} IS NULL OR ${q('fast_scheme')} <> ${scheme})`;
  const [row] = await warehouse.query(
    `SELECT count(*) AS n FROM ${d.qualify(input.snapshot)} WHERE ${stale}`,
  );
  const count = Number(row?.n ?? 0);
  if (count === 0) return 0;
  const values = [d.literal(input.fingerprint), ...input.columns.map((c) => `src.${q(c)}`)];
  const key = d.cast(`src.${q(input.key)}`, 'string');
  // Hash only the source rows of stale keys (the semi-join filters before the projection).
  await warehouse.execute(`UPDATE ${d.qualify(input.snapshot)} AS t
SET ${q('fast_hash')} = s.weft_fast, ${q('fast_scheme')} = ${scheme}
FROM (
  SELECT ${key} AS weft_key, ${d.rowHash(values)} AS weft_hash, ${fast.expr(values)} AS weft_fast
  FROM ${d.qualify(input.source)} AS src
  WHERE ${key} IN (SELECT ${q('key')} FROM ${d.qualify(input.snapshot)} WHERE ${stale})
) AS s
WHERE t.${q('key')} = s.weft_key AND t.${q('hash')} = s.weft_hash AND (t.${q('fast_scheme')} IS NULL OR t.${q('fast_scheme')} <> ${scheme})`);
  return count;
}
