/**
 * Merges a run's journal into the warehouse in one transaction: the snapshot advances for
 * acknowledged records only, `sync_rejections` records rejections (attempts, first/last seen) and
 * forgets keys that were acknowledged since. A bounded number of statements whatever the row
 * count (one bulk load plus a few set-based statements), because cloud warehouses bill DML.
 * Merging is idempotent, so a crash after the commit but before the file is deleted is harmless.
 */
import fs from 'node:fs';
import type { ColumnDef, RelationRef, Warehouse } from '../../warehouse/types.js';
import { stateTables } from '../state/tables.js';
import type { ResolvedSync } from '../types.js';
import { readJournal } from './journal-file.js';

const STAGE_COLUMNS: ColumnDef[] = [
  { name: 'seq', type: 'bigint' },
  { name: 'kind', type: 'string' },
  { name: 'key', type: 'string' },
  { name: 'hash', type: 'string' },
  { name: 'op', type: 'string' },
  { name: 'destination_id', type: 'string' },
  { name: 'reason', type: 'string' },
];

/** What a merged journal held. */
export interface MergeCounts {
  acknowledged: number;
  rejected: number;
}

/**
 * Loads `file` and applies it for run `runId`. `extraStatements` (e.g. the run's final status)
 * commit in the same transaction. The file is deleted after the commit.
 */
export async function mergeJournal(
  warehouse: Warehouse,
  sync: ResolvedSync,
  runId: string,
  file: string,
  extraStatements: (counts: MergeCounts) => string[] = () => [],
): Promise<MergeCounts> {
  const stage: RelationRef = { schema: sync.stateSchema, name: `journal_${sync.config.name}` };
  const counts: MergeCounts = { acknowledged: 0, rejected: 0 };
  async function* rows(): AsyncGenerator<unknown[]> {
    let seq = 0;
    for await (const e of readJournal(file)) {
      if (e.t === 'ack') counts.acknowledged++;
      else counts.rejected++;
      yield e.t === 'ack'
        ? [seq++, 'ack', e.k, e.h, e.op, e.id ?? null, null]
        : [seq++, 'rej', e.k, null, null, null, e.r];
    }
  }
  const present = fs.existsSync(file);
  const staged = present ? await warehouse.load(stage, STAGE_COLUMNS, rows()) : 0;
  const statements = staged > 0 ? mergeStatements(warehouse, sync, stage, runId) : [];
  await warehouse.transaction(async () => {
    for (const sql of [...statements, ...extraStatements(counts)]) await warehouse.execute(sql);
  });
  if (present) {
    for (const suffix of ['', '_acks', '_rejs']) {
      await warehouse.execute(
        warehouse.dialect.dropRelation({ ...stage, name: stage.name + suffix }, 'table'),
      );
    }
  }
  fs.rmSync(file, { force: true });
  return counts;
}

function mergeStatements(
  warehouse: Warehouse,
  sync: ResolvedSync,
  stage: RelationRef,
  runId: string,
): string[] {
  const d = warehouse.dialect;
  const q = (name: string) => d.quoteIdent(name);
  const snapshot = d.qualify(sync.snapshot);
  const rejections = d.qualify(stateTables(sync.stateSchema).rejections);
  const acks = { ...stage, name: `${stage.name}_acks` };
  const rejs = { ...stage, name: `${stage.name}_rejs` };
  const now = d.literal(new Date());
  const run = d.literal(runId);
  const syncName = d.literal(sync.config.name);
  // One entry per key: a run settles each planned key once (no window needed; windows over
  // millions of rows cost memory). `kind` selects acknowledgements or rejections.
  const latest = (kind: string, columns: string) =>
    `SELECT ${columns} FROM ${d.qualify(stage)} WHERE kind = '${kind}'`;
  return [
    d.createTableAs(
      acks,
      `SELECT j.${q('key')}, j.${q('hash')}, j.${q('op')}, coalesce(j.destination_id, s.destination_id) AS destination_id
FROM (${latest('ack', `${q('key')}, ${q('hash')}, ${q('op')}, destination_id`)}) AS j
LEFT JOIN ${snapshot} AS s ON s.${q('key')} = j.${q('key')}`,
    ),
    `DELETE FROM ${snapshot} WHERE ${q('key')} IN (SELECT ${q('key')} FROM ${d.qualify(acks)})`,
    d.insertSelect(
      sync.snapshot,
      ['key', 'hash', 'destination_id', 'synced_at', 'run_id'],
      `SELECT ${q('key')}, ${q('hash')}, destination_id, ${now}, ${run} FROM ${d.qualify(acks)} WHERE ${q('op')} = 'set'`,
    ),
    `DELETE FROM ${rejections} WHERE sync = ${syncName} AND ${q('key')} IN (SELECT ${q('key')} FROM ${d.qualify(acks)})`,
    d.createTableAs(
      rejs,
      `SELECT j.${q('key')}, j.reason, coalesce(r.first_seen, ${now}) AS first_seen, coalesce(r.attempts, 0) + 1 AS attempts
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
