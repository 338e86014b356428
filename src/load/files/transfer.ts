/**
 * How a column read by DuckDB travels to a warehouse that cannot read files itself, exactly:
 * values a JS number or Date would round (decimals, 64-bit-plus integers, microsecond
 * timestamps) travel as text and are cast by the target warehouse to their type.
 */
import { duckdbDialect as duck } from '../../warehouse/duckdb/dialect.js';
import type { Dialect, LogicalType } from '../../warehouse/types.js';

/** One column of a streamed load. */
export interface TransferColumn {
  name: string;
  /** The type staged in the target's scratch table. */
  type: LogicalType;
  /** The DuckDB expression read (over the read's column). */
  select: string;
  /** The target's expression over the staged column, when the staged type is not the final one. */
  target?: (quotedColumn: string) => string;
}

/**
 * DECIMAL(p,s) the four engines hold exactly: BigQuery's NUMERIC has at most 29 integer and 9
 * fractional digits (the strictest); wider decimals travel and stay as exact text.
 */
function portableDecimal(precision: number, scale: number): boolean {
  return scale <= 9 && precision - scale <= 29;
}

/** The transfer of a column of DuckDB type `duckType` into a warehouse of `dialect`. */
export function transferColumn(name: string, duckType: string, dialect: Dialect): TransferColumn {
  const q = duck.quoteIdent(name);
  const type = duckType.toUpperCase();
  const text = (target?: (c: string) => string): TransferColumn => ({
    name,
    type: 'string',
    select: `CAST(${q} AS VARCHAR)`,
    ...(target ? { target } : {}),
  });
  const decimal = (precision: number, scale: number) =>
    portableDecimal(precision, scale) ? text((c) => `CAST(${c} AS DECIMAL(${precision},${scale}))`) : text();
  if (type === 'BOOLEAN') return { name, type: 'boolean', select: q };
  if (['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT'].includes(type))
    return { name, type: 'integer', select: q };
  if (type === 'BIGINT' || type === 'UINTEGER') return { name, type: 'bigint', select: q };
  if (type === 'UBIGINT') return decimal(20, 0);
  if (type === 'HUGEINT' || type === 'UHUGEINT') return decimal(39, 0);
  if (type === 'FLOAT' || type === 'DOUBLE') return { name, type: 'double', select: `CAST(${q} AS DOUBLE)` };
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (dec) return decimal(Number(dec[1]), Number(dec[2]));
  if (type === 'DATE') return text((c) => dialect.cast(c, 'date'));
  if (type.startsWith('TIMESTAMP')) {
    return {
      name,
      type: 'string',
      select: `strftime(CAST(${q} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')`,
      target: (c) => dialect.cast(c, 'timestamp'),
    };
  }
  if (type === 'JSON') return { name, type: 'json', select: `CAST(${q} AS VARCHAR)` };
  if (/^(STRUCT|MAP|UNION)\(|\[\d*\]$/.test(type))
    return { name, type: 'json', select: `CAST(to_json(${q}) AS VARCHAR)` };
  return text();
}
