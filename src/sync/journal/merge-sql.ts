/**
 * The set-based statements that apply one staged chunk of a journal: the snapshot advances for
 * acknowledged keys, `sync_rejections` forgets them and records the chunk's rejections.
 */
import type { ColumnDef, Dialect, RelationRef, Warehouse } from '../../warehouse/types.js';
import { stateTables } from '../state/tables.js';
import type { ResolvedSync } from '../types.js';

/** Columns of the staging table a journal chunk is loaded into. */
export const STAGE_COLUMNS: ColumnDef[] = [
  { name: 'kind', type: 'string' },
  { name: 'key', type: 'string' },
  { name: 'hash', type: 'string' },
  { name: 'op', type: 'string' },
  { name: 'destination_id', type: 'string' },
  { name: 'reason', type: 'string' },
  /** The engine's fast hash as decimal text (planner/fast-hash.ts), or NULL. */
  { name: 'fast_hash', type: 'string' },
];

/**
 * The scratch tables of a merge: the staged chunk (an ordinary table: it is bulk-loaded through
 * its own connection) and its acknowledgements and rejections (session temp tables: never
 * written to the warehouse's log or storage).
 */
export function stageTables(dialect: Dialect, stage: RelationRef): [RelationRef, RelationRef, RelationRef] {
  return [stage, dialect.tempRelation(`${stage.name}_acks`), dialect.tempRelation(`${stage.name}_rejs`)];
}

/**
 * Statements applying the staged chunk for run `runId`. Re-applying them is harmless: an
 * acknowledgement sets the same hash again, and a rejection already recorded by this run does
 * not count another attempt (so a crash between chunk commits double-counts nothing).
 * `fastScheme`: where the engine has a fast row hash, its scheme labels the fast hashes merged.
 */
export function mergeStatements(
  warehouse: Warehouse,
  sync: ResolvedSync,
  stage: RelationRef,
  runId: string,
  fastScheme?: string,
): string[] {
  const d = warehouse.dialect;
  const q = (name: string) => d.quoteIdent(name);
  const snapshot = d.qualify(sync.snapshot);
  const rejections = d.qualify(stateTables(sync.stateSchema).rejections);
  const [, acks, rejs] = stageTables(d, stage);
  const now = d.literal(new Date());
  const run = d.literal(runId);
  const syncName = d.literal(sync.config.name);
  // One entry per key: a run settles each planned key once (no window needed; windows over
  // millions of rows cost memory). `kind` selects acknowledgements or rejections.
  // The fast hash columns, where the engine has them (a NULL fast hash carries no scheme).
  const fast = fastScheme
    ? {
        stage: `, ${q('fast_hash')}`,
        ack: `, ${d.cast(`j.${q('fast_hash')}`, 'bigint')} AS ${q('fast_hash')}`,
        source: `, ${q('fast_hash')}, CASE WHEN ${q('fast_hash')} IS NULL THEN NULL ELSE ${d.literal(fastScheme)} END AS ${q('fast_scheme')}`,
        columns: ['fast_hash', 'fast_scheme'],
      }
    : { stage: '', ack: '', source: '', columns: [] };
  const latest = (kind: string, columns: string) =>
    `SELECT ${columns} FROM ${d.qualify(stage)} WHERE kind = '${kind}'`;
  return [
    d.createTempTableAs(
      acks,
      `SELECT j.${q('key')}, j.${q('hash')}, j.${q('op')}, coalesce(j.destination_id, s.destination_id) AS destination_id${fast.ack}
FROM (${latest('ack', `${q('key')}, ${q('hash')}, ${q('op')}, destination_id${fast.stage}`)}) AS j
LEFT JOIN ${snapshot} AS s ON s.${q('key')} = j.${q('key')}`,
    ),
    // The snapshot advances: `set` acknowledgements upsert their key, `drop` ones delete it.
    ...d.merge(
      sync.snapshot,
      `SELECT ${q('key')}, ${q('hash')}, destination_id, ${now} AS synced_at, ${run} AS run_id, ${q('op')}${fast.source} FROM ${d.qualify(acks)}`,
      ['key'],
      ['hash', 'destination_id', 'synced_at', 'run_id', ...fast.columns],
      { deleteWhen: `weft_source.${q('op')} <> 'set'` },
    ),
    `DELETE FROM ${rejections} WHERE sync = ${syncName} AND ${q('key')} IN (SELECT ${q('key')} FROM ${d.qualify(acks)})`,
    d.createTempTableAs(
      rejs,
      `SELECT j.${q('key')}, j.reason, coalesce(r.first_seen, ${now}) AS first_seen,
  coalesce(r.attempts, 0) + CASE WHEN r.run_id = ${run} THEN 0 ELSE 1 END AS attempts
FROM (${latest('rej', `${q('key')}, reason`)}) AS j
LEFT JOIN ${rejections} AS r ON r.sync = ${syncName} AND r.${q('key')} = j.${q('key')}`,
    ),
    `DELETE FROM ${rejections} WHERE sync = ${syncName} AND ${q('key')} IN (SELECT ${q('key')} FROM ${d.qualify(rejs)})`,
    d.insertSelect(
      stateTables(sync.stateSchema).rejections,
      ['sync', 'key', 'reason', 'first_seen', 'last_seen', 'attempts', 'run_id'],
      `SELECT ${syncName}, ${q('key')}, reason, first_seen, ${now}, attempts, ${run} FROM ${d.qualify(rejs)}`,
    ),
  ];
}
