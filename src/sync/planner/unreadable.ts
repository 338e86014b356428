/**
 * Rows of a plan holding a value JavaScript cannot hold (DATE 'infinity', a year-294246
 * TIMESTAMP): the run rejects each such row with the reason and sends the others; `weft plan`
 * counts them in the warehouse beforehand (one aggregate over the plan's added and changed rows)
 * so the warning comes before anything is sent.
 */
import type { RelationRef, Warehouse } from '../../warehouse/types.js';
import { columnKind } from '../mapping/field-checks.js';
import { PLAN } from './plan-sql.js';

/** Rows that will be rejected for such values, and how many values per column. */
export interface UnreadableRows {
  rows: number;
  /** Column → rows whose value in it JavaScript cannot hold. */
  columns: Record<string, number>;
  /** Why, in words. */
  reason: string;
}

/**
 * Counts the plan's to-be-sent rows whose mapped date/timestamp columns hold values beyond a JS
 * Date; undefined when there are none, or the engine's dates always fit (no `beyondJsDate`).
 */
export async function countUnreadableRows(
  warehouse: Warehouse,
  plan: RelationRef,
  columnTypes: Array<{ name: string; type: string }>,
  mapped: readonly string[],
): Promise<UnreadableRows | undefined> {
  const { dialect } = warehouse;
  const beyond = dialect.beyondJsDate;
  if (!beyond) return undefined;
  const temporal = columnTypes.filter((c) => mapped.includes(c.name) && columnKind(c.type) === 'temporal');
  if (temporal.length === 0) return undefined;
  const q = (name: string) => dialect.quoteIdent(name);
  const tests = temporal.map((c) => beyond.call(dialect, q(c.name)));
  const perColumn = tests.map((test, i) => `sum(CASE WHEN ${test} THEN 1 ELSE 0 END) AS c${i}`);
  const [row] = await warehouse.query(
    `SELECT sum(CASE WHEN ${tests.join(' OR ')} THEN 1 ELSE 0 END) AS n, ${perColumn.join(', ')}
FROM ${dialect.qualify(plan)} WHERE ${q(PLAN.change)} IN ('added', 'changed')`,
  );
  const rows = Number(row?.n ?? 0);
  if (rows === 0) return undefined;
  const columns: Record<string, number> = {};
  temporal.forEach((c, i) => {
    const count = Number(row?.[`c${i}`] ?? 0);
    if (count > 0) columns[c.name] = count;
  });
  return {
    rows,
    columns,
    reason: 'an infinite date or a year past 275760, which JavaScript cannot hold',
  };
}
