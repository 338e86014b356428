/** Column plans from mysql2's field metadata (MySQL and MariaDB). */
import { type ColumnPlan, planColumn, timestampKind } from './column-plan.js';

/** The parts of a mysql2 column definition read here. */
export interface MysqlField {
  name: string;
  columnType: number;
  flags: number;
  decimals: number;
  characterSet?: number;
  columnLength?: number;
  /** MariaDB's extended type info: `json` for JSON columns (LONGTEXT underneath). */
  extendedFormat?: string;
}

const UNSIGNED = 32;
const BINARY_CHARSET = 63;

// mysql2's Types codes.
const TINY = 1;
const SHORT = 2;
const LONG = 3;
const FLOAT = 4;
const DOUBLE = 5;
const TIMESTAMP = 7;
const LONGLONG = 8;
const INT24 = 9;
const DATE = 10;
const DATETIME = 12;
const YEAR = 13;
const NEWDATE = 14;
const BIT = 16;
const TIMESTAMP2 = 17;
const DATETIME2 = 18;
const JSON_TYPE = 245;
const NEWDECIMAL = 246;
const DECIMAL = 0;
const BLOB_TYPES = new Set([249, 250, 251, 252, 253, 254, 15]);

/** The warehouse column for one mysql2 field. */
export function mysqlColumn(field: MysqlField): ColumnPlan {
  const unsigned = (field.flags & UNSIGNED) !== 0;
  switch (field.columnType) {
    case TINY:
    case SHORT:
    case INT24:
    case YEAR:
      return planColumn(field.name, 'integer');
    case LONG:
      return planColumn(field.name, unsigned ? 'bigint' : 'integer');
    case LONGLONG:
      return planColumn(field.name, 'bigint');
    case FLOAT:
    case DOUBLE:
      return planColumn(field.name, 'double');
    case DECIMAL:
    case NEWDECIMAL:
      return planColumn(field.name, 'decimal');
    case DATE:
    case NEWDATE:
      return planColumn(field.name, 'date');
    case TIMESTAMP:
    case DATETIME:
    case TIMESTAMP2:
    case DATETIME2:
      return planColumn(field.name, timestampKind(field.decimals));
    case JSON_TYPE:
      return planColumn(field.name, 'json');
    case BIT:
      return planColumn(field.name, 'binary');
  }
  if (BLOB_TYPES.has(field.columnType)) {
    if (field.extendedFormat === 'json') return planColumn(field.name, 'json');
    if (field.characterSet === BINARY_CHARSET) return planColumn(field.name, 'binary');
  }
  return planColumn(field.name, 'text');
}
