/**
 * Writes loaded rows into a warehouse table atomically, whatever the engine: rows go first into a
 * scratch table beside the target (through `Warehouse.load`, the engine's bulk path), then one
 * transaction swaps it in (`replace`), inserts from it (`append`) or merges it by key (`upsert`).
 * A failure at any point leaves the target as it was and drops the scratch table.
 */
import { randomBytes } from 'node:crypto';
import type { ColumnDef, RelationRef, Warehouse } from '../warehouse/types.js';
import type { LoadMode } from './types.js';

/** How `writeRows` meets the existing table. */
export interface WriteOptions {
  mode: LoadMode;
  /** upsert: the column(s) identifying a row. */
  key?: string[];
}

/** A load that cannot be applied as asked (missing key, columns that do not fit the table…). */
export class LoadError extends Error {
  override name = 'LoadError';
}

/** The columns of an existing relation, or undefined when there is none. */
export async function existingColumns(
  warehouse: Warehouse,
  ref: RelationRef,
): Promise<Array<{ name: string; type: string }> | undefined> {
  const kinds = await warehouse.query(warehouse.dialect.relationKindQuery(ref));
  if (kinds.length === 0) return undefined;
  const rows = await warehouse.query(warehouse.dialect.columnsQuery(ref));
  return rows.map((row) => ({ name: String(row.name), type: String(row.type) }));
}

/** Writes `rows` (arrays in `columns` order) into `target`; returns the number of rows loaded. */
export async function writeRows(
  warehouse: Warehouse,
  target: RelationRef,
  columns: ColumnDef[],
  rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  options: WriteOptions,
): Promise<number> {
  const d = warehouse.dialect;
  const key = options.key ?? [];
  if (options.mode === 'upsert') {
    if (key.length === 0) throw new LoadError('--mode upsert needs --key (the column(s) identifying a row)');
    const missing = key.filter((k) => !columns.some((c) => c.name === k));
    if (missing.length > 0)
      throw new LoadError(
        `key column ${missing.join(', ')} is not among the loaded columns (${names(columns)})`,
      );
  }
  await warehouse.execute(d.createSchema(target.schema));
  const before = await existingColumns(warehouse, target);
  if (before && options.mode !== 'replace') {
    const absent = columns.filter((c) => !before.some((b) => b.name.toLowerCase() === c.name.toLowerCase()));
    if (absent.length > 0) {
      throw new LoadError(
        `${d.qualify(target)} has no column ${absent.map((c) => c.name).join(', ')} (it has ${before.map((b) => b.name).join(', ')}); use --mode replace to redefine the table`,
      );
    }
  }
  const scratch: RelationRef = {
    schema: target.schema,
    name: `${target.name}__weft_load_${randomBytes(4).toString('hex')}`,
  };
  const count = await warehouse.load(scratch, columns, rows, { mode: 'replace' });
  try {
    const columnNames = columns.map((c) => c.name);
    const select = `SELECT ${columnNames.map((c) => d.quoteIdent(c)).join(', ')} FROM ${d.qualify(scratch)}`;
    if (options.mode === 'upsert' && before) {
      await assertUniqueKey(warehouse, scratch, key);
      const others = columnNames.filter((c) => !key.includes(c));
      await warehouse.transaction(async () => {
        for (const sql of d.merge(target, select, key, others)) await warehouse.execute(sql);
      });
    } else if (options.mode === 'append' && before) {
      await warehouse.transaction(() => warehouse.execute(d.insertSelect(target, columnNames, select)));
    } else {
      // replace, or append/upsert into a table that does not exist yet: the scratch table becomes it.
      if (options.mode === 'upsert') await assertUniqueKey(warehouse, scratch, key);
      await warehouse.transaction(async () => {
        if (before) await warehouse.execute(d.dropRelation(target, await kindOf(warehouse, target)));
        await warehouse.execute(d.renameTable(scratch, target.name));
      });
      return count;
    }
  } finally {
    await warehouse.execute(d.dropRelation(scratch, 'table')).catch(() => undefined);
  }
  return count;
}

async function kindOf(warehouse: Warehouse, ref: RelationRef): Promise<'table' | 'view'> {
  const [row] = await warehouse.query(warehouse.dialect.relationKindQuery(ref));
  return row?.kind === 'view' ? 'view' : 'table';
}

async function assertUniqueKey(warehouse: Warehouse, ref: RelationRef, key: string[]): Promise<void> {
  const d = warehouse.dialect;
  const cols = key.map((k) => d.quoteIdent(k)).join(', ');
  const [row] = await warehouse.query(
    `SELECT count(*) AS n FROM (SELECT ${cols} FROM ${d.qualify(ref)} GROUP BY ${cols} HAVING count(*) > 1) dup`,
  );
  const duplicates = Number(row?.n ?? 0);
  if (duplicates > 0) {
    throw new LoadError(
      `${duplicates} value${duplicates === 1 ? '' : 's'} of key ${key.join(', ')} appear more than once in the input: an upsert needs one row per key`,
    );
  }
}

function names(columns: ColumnDef[]): string {
  return columns.map((c) => c.name).join(', ');
}
