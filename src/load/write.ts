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
  /**
   * Column name → an SQL expression over the staged column (given quoted) computing the value to
   * write, e.g. a CAST from exact text staged in the scratch table to a DECIMAL or TIMESTAMP.
   * Columns not listed are written as staged.
   */
  expressions?: Record<string, (quotedColumn: string) => string>;
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
  const names = columns.map((c) => c.name);
  const before = await prepareTarget(warehouse, target, names, options);
  const scratch = scratchRelation(target);
  try {
    const count = await warehouse.load(scratch, columns, rows, { mode: 'replace' });
    await applyStaged(warehouse, scratch, target, names, before, options);
    return count;
  } finally {
    await dropQuietly(warehouse, scratch);
  }
}

/**
 * Checks a load against the target before anything is written: the upsert key is among the
 * loaded columns, and append/upsert do not bring columns the existing table lacks. Creates the
 * target's schema. Returns the target's columns (undefined when it does not exist yet).
 */
export async function prepareTarget(
  warehouse: Warehouse,
  target: RelationRef,
  columnNames: string[],
  options: WriteOptions,
): Promise<Array<{ name: string; type: string }> | undefined> {
  const d = warehouse.dialect;
  const key = options.key ?? [];
  if (options.mode === 'upsert') {
    if (key.length === 0) throw new LoadError('--mode upsert needs --key (the column(s) identifying a row)');
    const missing = key.filter((k) => !columnNames.includes(k));
    if (missing.length > 0)
      throw new LoadError(
        `key column ${missing.join(', ')} is not among the loaded columns (${columnNames.join(', ')})`,
      );
  }
  await warehouse.execute(d.createSchema(target.schema));
  const before = await existingColumns(warehouse, target);
  if (before && options.mode !== 'replace') {
    const absent = columnNames.filter((c) => !before.some((b) => b.name.toLowerCase() === c.toLowerCase()));
    if (absent.length > 0) {
      throw new LoadError(
        `${d.qualify(target)} has no column ${absent.join(', ')} (it has ${before.map((b) => b.name).join(', ')}); use --mode replace to redefine the table`,
      );
    }
  }
  return before;
}

/** A fresh scratch table name beside `target`. */
export function scratchRelation(target: RelationRef): RelationRef {
  return { schema: target.schema, name: `${target.name}__weft_load_${randomBytes(4).toString('hex')}` };
}

/** Drops a scratch table, ignoring failures (it may not exist). */
export async function dropQuietly(warehouse: Warehouse, ref: RelationRef): Promise<void> {
  await warehouse.execute(warehouse.dialect.dropRelation(ref, 'table')).catch(() => undefined);
}

/**
 * Applies a staged scratch table to `target` in one transaction: swapped in (replace, or a
 * target that does not exist yet), inserted (append) or merged by key (upsert). `before` is what
 * `prepareTarget` returned. The caller drops `scratch` afterwards (it may have been renamed away).
 */
export async function applyStaged(
  warehouse: Warehouse,
  scratch: RelationRef,
  target: RelationRef,
  columnNames: string[],
  before: Array<{ name: string; type: string }> | undefined,
  options: WriteOptions,
): Promise<void> {
  const d = warehouse.dialect;
  const key = options.key ?? [];
  const expressions = options.expressions ?? {};
  const selectList = columnNames.map((c) => {
    const expression = expressions[c];
    return expression ? `${expression(d.quoteIdent(c))} AS ${d.quoteIdent(c)}` : d.quoteIdent(c);
  });
  const select = `SELECT ${selectList.join(', ')} FROM ${d.qualify(scratch)}`;
  if (options.mode === 'upsert' && before) {
    await assertUniqueKey(warehouse, scratch, key);
    const others = columnNames.filter((c) => !key.includes(c));
    await warehouse.transaction(async () => {
      for (const sql of d.merge(target, select, key, others)) await warehouse.execute(sql);
    });
    return;
  }
  if (options.mode === 'append' && before) {
    await warehouse.transaction(() => warehouse.execute(d.insertSelect(target, columnNames, select)));
    return;
  }
  // replace, or append/upsert into a table that does not exist yet: the scratch table becomes it.
  if (options.mode === 'upsert') await assertUniqueKey(warehouse, scratch, key);
  let ready = scratch;
  if (Object.keys(expressions).length > 0) {
    ready = scratchRelation(target);
    await warehouse.execute(d.createTableAs(ready, select));
  }
  // The old table is renamed aside, not dropped: views reading it (bound by OID on Postgres)
  // then move to the new one, as in materialize-table.ts.
  const aside = scratchRelation(target);
  try {
    const kind = before ? await kindOf(warehouse, target) : undefined;
    await warehouse.transaction(async () => {
      if (kind === 'view') await warehouse.execute(d.dropRelation(target, 'view'));
      if (kind === 'table') await warehouse.execute(d.renameTable(target, aside.name));
      await warehouse.execute(d.renameTable(ready, target.name));
    });
  } catch (error) {
    if (ready !== scratch) await dropQuietly(warehouse, ready);
    throw error;
  } finally {
    await dropQuietly(warehouse, aside);
  }
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
