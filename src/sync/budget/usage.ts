/**
 * `destination_usage`: requests sent per destination account and UTC day, so a daily quota
 * holds across runs and restarts. Writes add a delta (the row is created at 0 when missing),
 * so runs in other processes add up instead of overwriting each other.
 */
import type { Warehouse } from '../../warehouse/types.js';
import { stateTables } from '../state/tables.js';

/** The UTC day of `at` as `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function where(warehouse: Warehouse, account: string, day: string): string {
  const d = warehouse.dialect;
  return `account = ${d.literal(account)} AND day = ${d.cast(d.literal(day), 'date')}`;
}

/** Requests recorded for `account` on `day` (0 when none). */
export async function readUsage(
  warehouse: Warehouse,
  stateSchema: string,
  account: string,
  day: string,
): Promise<number> {
  const usage = warehouse.dialect.qualify(stateTables(stateSchema).usage);
  const rows = await warehouse.query(`SELECT requests FROM ${usage} WHERE ${where(warehouse, account, day)}`);
  return rows.reduce((sum, row) => sum + Number(row.requests ?? 0), 0);
}

/** Adds `requests` to the count of `account` on `day`. */
export async function addUsage(
  warehouse: Warehouse,
  stateSchema: string,
  account: string,
  day: string,
  requests: number,
): Promise<void> {
  const d = warehouse.dialect;
  const usage = d.qualify(stateTables(stateSchema).usage);
  const match = where(warehouse, account, day);
  await warehouse
    .execute(
      `INSERT INTO ${usage} (account, day, requests) SELECT ${d.literal(account)}, ${d.cast(d.literal(day), 'date')}, 0 WHERE NOT EXISTS (SELECT 1 FROM ${usage} WHERE ${match})`,
    )
    .catch(() => undefined); // another writer created the row first (primary key)
  await warehouse.execute(`UPDATE ${usage} SET requests = requests + ${Math.floor(requests)} WHERE ${match}`);
}
