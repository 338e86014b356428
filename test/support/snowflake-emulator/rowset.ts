import {
  DuckDBDateValue,
  DuckDBDecimalType,
  DuckDBDecimalValue,
  type DuckDBResultReader,
  DuckDBTimestampValue,
  DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';

/** One column of Snowflake's `rowtype`, as the JSON result format sends it. */
export interface RowType {
  name: string;
  database: string;
  schema: string;
  table: string;
  type: string;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  nullable: boolean;
  collation: null;
}

/** A result in Snowflake's JSON format: rowtype plus rows of strings (or null). */
export interface SnowflakeRows {
  rowtype: RowType[];
  rows: (string | null)[][];
}

type Encode = (value: DuckDBValue, json: unknown) => string;

const INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
]);

/** `1704164645.123000000`: epoch seconds with nine fraction digits, from microseconds. */
function epochSeconds(micros: bigint): string {
  const sign = micros < 0n ? '-' : '';
  const abs = micros < 0n ? -micros : micros;
  return `${sign}${abs / 1_000_000n}.${String((abs % 1_000_000n) * 1000n).padStart(9, '0')}`;
}

function doubleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

function column(name: string, type: string, extra: Partial<RowType> = {}): RowType {
  return {
    name,
    database: 'WEFT',
    schema: 'PUBLIC',
    table: '',
    type,
    precision: null,
    scale: null,
    length: null,
    byteLength: null,
    nullable: true,
    collation: null,
    ...extra,
  };
}

/** Snowflake's type and wire encoding for a DuckDB column type. */
function describe(name: string, type: DuckDBType): { rowtype: RowType; encode: Encode } {
  const id = type.typeId;
  if (type.alias === 'JSON') return { rowtype: column(name, 'variant'), encode: (value) => String(value) };
  if (INTEGER_TYPES.has(id))
    return { rowtype: column(name, 'fixed', { precision: 38, scale: 0 }), encode: (value) => String(value) };
  if (type instanceof DuckDBDecimalType)
    return {
      rowtype: column(name, 'fixed', { precision: type.width, scale: type.scale }),
      encode: (value) => (value instanceof DuckDBDecimalValue ? value.toString() : String(value)),
    };
  if (id === DuckDBTypeId.FLOAT || id === DuckDBTypeId.DOUBLE)
    return { rowtype: column(name, 'real'), encode: (value) => doubleText(Number(value)) };
  if (id === DuckDBTypeId.BOOLEAN)
    return { rowtype: column(name, 'boolean'), encode: (value) => (value ? '1' : '0') };
  if (id === DuckDBTypeId.DATE)
    return {
      rowtype: column(name, 'date'),
      encode: (value) => String(value instanceof DuckDBDateValue ? value.days : value),
    };
  if (id === DuckDBTypeId.TIMESTAMP || id === DuckDBTypeId.TIMESTAMP_TZ)
    return {
      rowtype: column(name, id === DuckDBTypeId.TIMESTAMP ? 'timestamp_ntz' : 'timestamp_ltz', { scale: 9 }),
      encode: (value) => (value instanceof DuckDBTimestampValue ? epochSeconds(value.micros) : String(value)),
    };
  if (id === DuckDBTypeId.TIME)
    return {
      rowtype: column(name, 'time', { scale: 9 }),
      encode: (value) => (value instanceof DuckDBTimeValue ? epochSeconds(value.micros) : String(value)),
    };
  if (
    id === DuckDBTypeId.LIST ||
    id === DuckDBTypeId.STRUCT ||
    id === DuckDBTypeId.MAP ||
    id === DuckDBTypeId.ARRAY
  )
    return { rowtype: column(name, 'variant'), encode: (_value, json) => JSON.stringify(json) };
  if (id === DuckDBTypeId.BLOB)
    return { rowtype: column(name, 'binary'), encode: (_value, json) => String(json) };
  return {
    rowtype: column(name, 'text', { length: 16777216, byteLength: 16777216 }),
    encode: (value) => String(value),
  };
}

/**
 * A DuckDB result as Snowflake's JSON rowset: `fixed` as decimal text, `real` as text (inf,
 * -inf, NaN), booleans as 1/0, dates as days since the epoch, timestamps as epoch seconds with
 * nine fraction digits, VARIANT as JSON text. `names` are the result's column names as
 * Snowflake would report them (see `snowflakeColumnNames`).
 */
export function toSnowflakeRows(reader: DuckDBResultReader, names: string[]): SnowflakeRows {
  const described = reader.columnTypes().map((type, index) => describe(names[index] ?? `C${index}`, type));
  const rows = reader.getRows();
  const json = described.some((item) => ['variant', 'binary'].includes(item.rowtype.type))
    ? reader.getRowsJson()
    : [];
  return {
    rowtype: described.map((item) => item.rowtype),
    rows: rows.map((row, rowIndex) =>
      row.map((value, index) =>
        value === null
          ? null
          : (described[index] as { encode: Encode }).encode(value, json[rowIndex]?.[index]),
      ),
    ),
  };
}

/**
 * Result column names as Snowflake reports them: an unquoted identifier resolves upper-case
 * (`SELECT count(*) AS n` gives `N`), a quoted one keeps its case (`AS "n"` gives `n`). DuckDB
 * keeps what was written either way, so a name is upper-cased when the statement writes it
 * unquoted (outside string literals) and never quoted; names that come from the catalog
 * (`SELECT *`) are kept.
 */
export function snowflakeColumnNames(names: string[], sql: string): string[] {
  const code = sql.replace(/'(?:[^'\\]|\\.|'')*'/g, "''");
  const quoted = new Set(
    [...code.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => (match[1] ?? '').replaceAll('""', '"')),
  );
  const bare = new Set(
    [...code.replace(/"(?:[^"]|"")*"/g, '""').matchAll(/[A-Za-z_][A-Za-z0-9_$]*/g)].map((match) => match[0]),
  );
  return names.map((name) => (!quoted.has(name) && bare.has(name) ? name.toUpperCase() : name));
}
