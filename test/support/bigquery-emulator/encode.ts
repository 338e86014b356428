/**
 * DuckDB results in BigQuery's wire encoding: a schema of BigQuery type names and rows as
 * `{f: [{v}]}` with every scalar as text (INT64 as a decimal string, TIMESTAMP as int64
 * microseconds or float seconds, DATE as YYYY-MM-DD, BYTES as base64, BOOL 'true'/'false').
 */
import { type DuckDBResultReader, type DuckDBType, DuckDBTypeId, type DuckDBValue } from '@duckdb/node-api';

/** A result schema field as BigQuery sends it. */
export interface WireField {
  name: string;
  type: string;
  mode: 'NULLABLE';
}

/** A result in wire form. */
export interface WireResult {
  fields: WireField[];
  rows: { f: { v: string | null }[] }[];
}

/** BigQuery's type name for a DuckDB type (DATETIME is not told apart from TIMESTAMP). */
export function bigQueryType(type: DuckDBType): string {
  if (type.alias === 'JSON') return 'JSON';
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'BOOL';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
      return 'INT64';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return 'FLOAT64';
    case DuckDBTypeId.DECIMAL:
      return 'NUMERIC';
    case DuckDBTypeId.DATE:
      return 'DATE';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'TIMESTAMP';
    case DuckDBTypeId.TIME:
      return 'TIME';
    case DuckDBTypeId.BLOB:
      return 'BYTES';
    default:
      return 'STRING';
  }
}

function micros(value: DuckDBValue, type: DuckDBType): bigint {
  const holder = value as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
  if (type.typeId === DuckDBTypeId.TIMESTAMP_MS && holder.millis !== undefined) return holder.millis * 1000n;
  if (type.typeId === DuckDBTypeId.TIMESTAMP_S && holder.seconds !== undefined)
    return holder.seconds * 1000000n;
  if (type.typeId === DuckDBTypeId.TIMESTAMP_NS && holder.nanos !== undefined) return holder.nanos / 1000n;
  return holder.micros ?? 0n;
}

function wireValue(value: DuckDBValue, type: DuckDBType, bigQueryTypeName: string): string | null {
  if (value === null) return null;
  switch (bigQueryTypeName) {
    case 'BOOL':
      return value ? 'true' : 'false';
    case 'FLOAT64': {
      const number = Number(value);
      return Number.isNaN(number) ? 'NaN' : String(number);
    }
    case 'NUMERIC':
      return String(value)
        .replace(/(\.\d*?)0+$/, '$1')
        .replace(/\.$/, '');
    case 'TIMESTAMP': {
      return micros(value, type).toString();
    }
    case 'BYTES':
      return Buffer.from((value as { bytes: Uint8Array }).bytes).toString('base64');
    default:
      return String(value);
  }
}

/** Encodes a DuckDB result for getQueryResults (TIMESTAMP as int64 microseconds; see `withTimestampFormat`). */
export function encodeResult(reader: DuckDBResultReader): WireResult {
  const types = reader.columnTypes();
  const names = reader.deduplicatedColumnNames();
  const typeNames = types.map(bigQueryType);
  const fields = names.map((name, index) => ({
    name,
    type: typeNames[index] as string,
    mode: 'NULLABLE' as const,
  }));
  const rows = reader.getRows().map((row) => ({
    f: row.map((value, index) => ({
      v: wireValue(value, types[index] as DuckDBType, typeNames[index] as string),
    })),
  }));
  return { fields, rows };
}

/**
 * Rows with TIMESTAMP values as BigQuery sends them for `formatOptions.useInt64Timestamp`:
 * int64 microseconds when true, else float seconds (the API's older default).
 */
export function withTimestampFormat(
  result: WireResult,
  rows: WireResult['rows'],
  int64: boolean,
): WireResult['rows'] {
  if (int64) return rows;
  const timestampColumns = result.fields.flatMap((field, index) =>
    field.type === 'TIMESTAMP' ? [index] : [],
  );
  if (timestampColumns.length === 0) return rows;
  return rows.map((row) => ({
    f: row.f.map((cell, index) =>
      timestampColumns.includes(index) && cell.v !== null ? { v: String(Number(cell.v) / 1e6) } : cell,
    ),
  }));
}
