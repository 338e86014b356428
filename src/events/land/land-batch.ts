/**
 * Lands one micro-batch of events in the warehouse, exactly once per messageId: rows go to
 * scratch tables through the engine's bulk path, then one transaction inserts into each events
 * table the rows whose `id` it does not hold yet. Landing a batch again (a replay after a crash
 * between the commit and the log's ack, or a client's retry) therefore adds nothing.
 */
import { randomBytes } from 'node:crypto';
import type { ColumnDef, LogicalType, RelationRef, Warehouse } from '../../warehouse/types.js';
import type { CollectedEvent } from '../types.js';
import { COMMON_COLUMNS, type EventRow, rowsOf } from './rows.js';
import { settle, type TableColumns } from './table-columns.js';

/** What a landing did. */
export interface LandResult {
  /** Distinct messageIds in the batch. */
  events: number;
  /** Tables written. */
  tables: number;
}

/** Lands `events` into `schema`; safe to repeat with the same events. */
export async function landBatch(
  warehouse: Warehouse,
  schema: string,
  events: CollectedEvent[],
  known: TableColumns,
): Promise<LandResult> {
  const d = warehouse.dialect;
  const seen = new Set<string>();
  const byTable = new Map<string, EventRow[]>();
  for (const event of events) {
    if (seen.has(event.messageId)) continue;
    seen.add(event.messageId);
    for (const [table, row] of rowsOf(event)) {
      const rows = byTable.get(table) ?? [];
      rows.push(row);
      byTable.set(table, rows);
    }
  }
  if (byTable.size === 0) return { events: 0, tables: 0 };
  await warehouse.execute(d.createSchema(schema));

  const staged: Array<{ target: RelationRef; scratch: RelationRef; columns: string[] }> = [];
  try {
    for (const [table, rows] of byTable) {
      const target = { schema, name: table };
      const existing = await known.of(warehouse, target);
      const added = new Map<string, LogicalType>();
      settle(rows, existing ?? new Map(), added);
      const all = new Map([...(existing ?? []), ...added]);
      if (!existing) {
        const ordered = [
          ...COMMON_COLUMNS.map((c) => c.name),
          ...[...added.keys()].filter((n) => !isCommon(n)),
        ];
        await warehouse.execute(
          d.createTable(
            target,
            ordered.map((name) => ({ name, type: all.get(name) ?? 'string' })),
          ),
        );
      } else {
        for (const [name, type] of added) await warehouse.execute(d.addColumn(target, { name, type }));
      }
      known.remember(target, all);
      const used = [...new Set(rows.flatMap((row) => [...row.keys()]))];
      const defs: ColumnDef[] = used.map((name) => ({ name, type: all.get(name) ?? 'string' }));
      const scratch = { schema, name: `${table}__weft_land_${randomBytes(4).toString('hex')}` };
      staged.push({ target, scratch, columns: used });
      await warehouse.load(
        scratch,
        defs,
        rows.map((row) => used.map((name) => row.get(name)?.value ?? null)),
        {
          mode: 'replace',
        },
      );
    }
    await warehouse.transaction(async () => {
      for (const { target, scratch, columns } of staged) {
        const list = columns.map((c) => `weft_new.${d.quoteIdent(c)}`).join(', ');
        const select =
          `SELECT ${list} FROM ${d.qualify(scratch)} weft_new WHERE NOT EXISTS ` +
          `(SELECT 1 FROM ${d.qualify(target)} weft_old WHERE weft_old.${d.quoteIdent('id')} = weft_new.${d.quoteIdent('id')})`;
        await warehouse.execute(d.insertSelect(target, columns, select));
      }
    });
  } catch (error) {
    known.reset();
    throw error;
  } finally {
    for (const { scratch } of staged)
      await warehouse.execute(d.dropRelation(scratch, 'table')).catch(() => undefined);
  }
  return { events: seen.size, tables: byTable.size };
}

function isCommon(name: string): boolean {
  return COMMON_COLUMNS.some((c) => c.name === name);
}
