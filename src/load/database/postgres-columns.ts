/** Column plans from node-postgres field metadata (type OIDs), every value read as text. */
import { type ColumnPlan, planColumn, timestampKind } from './column-plan.js';

/** The parts of a pg field description read here. */
export interface PostgresField {
  name: string;
  dataTypeID: number;
  /** `timestamp(p)`: p; -1 when no precision was declared (then 6). */
  dataTypeModifier: number;
}

const BOOL = 16;
const BYTEA = 17;
const INT8 = 20;
const INT2 = 21;
const INT4 = 23;
const OID = 26;
const JSON_OID = 114;
const FLOAT4 = 700;
const FLOAT8 = 701;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const NUMERIC = 1700;
const JSONB = 3802;

/** The warehouse column for one pg field. */
export function postgresColumn(field: PostgresField): ColumnPlan {
  switch (field.dataTypeID) {
    case INT2:
    case INT4:
      return planColumn(field.name, 'integer');
    case INT8:
    case OID:
      return planColumn(field.name, 'bigint');
    case FLOAT4:
    case FLOAT8:
      return planColumn(field.name, 'double');
    case NUMERIC:
      return planColumn(field.name, 'decimal');
    case BOOL:
      return planColumn(field.name, 'boolean');
    case DATE:
      return planColumn(field.name, 'date');
    case TIMESTAMP:
    case TIMESTAMPTZ:
      return planColumn(field.name, timestampKind(field.dataTypeModifier < 0 ? 6 : field.dataTypeModifier));
    case JSON_OID:
    case JSONB:
      return planColumn(field.name, 'json');
    case BYTEA:
      return planColumn(field.name, 'text'); // Postgres's own hex text (\x…)
  }
  return planColumn(field.name, 'text');
}
