/**
 * Column plans for SQL Server, from `sys.dm_exec_describe_first_result_set` (tedious gives no
 * metadata through knex). Not tested here (no SQL Server on these machines).
 */
import type { Knex } from 'knex';
import { type ColumnPlan, planColumn, timestampKind } from './column-plan.js';

/** The columns of `sql`, typed from SQL Server's own description of its result. */
export async function mssqlColumns(knex: Knex, sql: string): Promise<ColumnPlan[]> {
  const rows = (await knex.raw(
    'SELECT name, system_type_name FROM sys.dm_exec_describe_first_result_set(?, NULL, 0) ORDER BY column_ordinal',
    [sql],
  )) as Array<{ name: string; system_type_name: string }>;
  return rows.map((row) => {
    const type = row.system_type_name.toLowerCase();
    const digits = Number(/\((\d+)\)/.exec(type)?.[1] ?? 7);
    if (/^(tinyint|smallint|int)$/.test(type)) return planColumn(row.name, 'integer');
    if (type === 'bigint') return planColumn(row.name, 'bigint');
    if (/^(float|real)/.test(type)) return planColumn(row.name, 'double');
    if (type === 'bit') return planColumn(row.name, 'boolean');
    if (type === 'date') return planColumn(row.name, 'date');
    if (/^(datetime|smalldatetime)$/.test(type)) return planColumn(row.name, 'timestamp');
    if (type.startsWith('datetime2')) return planColumn(row.name, timestampKind(digits));
    return planColumn(row.name, 'text');
  });
}
