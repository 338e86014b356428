/**
 * Exact types for numeric columns read as text: plain decimals become DECIMAL(p,s) with the
 * precision and scale the values need (never rounded), numbers with exponents DOUBLE, and more
 * than 38 digits stay text (exact).
 */
import { duckdbDialect as d } from '../../warehouse/duckdb/dialect.js';
import { LoadError } from '../write.js';
import type { SqlReader } from './reader.js';

/** What a numeric-text column turned out to hold. */
export type NumericShape =
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'double' }
  | { kind: 'text' }
  /** Values that are no number at all: read the column again as `retryAs` (the type of the valid values) to have them rejected by line. */
  | { kind: 'invalid'; retryAs: string };

/** Analyzes `columns` of relation/query `from` (one scan). */
export async function numericShapes(
  reader: SqlReader,
  from: string,
  columns: string[],
): Promise<Map<string, NumericShape>> {
  const shapes = new Map<string, NumericShape>();
  if (columns.length === 0) return shapes;
  // Cheap per-value tests (no regexp: this scans every row): a value DuckDB parses as a double
  // and that has no letter (exponent, inf, nan) is a plain decimal; digits counted around the dot.
  const parts = columns.flatMap((name, i) => {
    const c = `trim(${d.quoteIdent(name)})`;
    const letters = `lower(${c}) <> upper(${c})`;
    const plain = `NOT (${letters})`;
    const dot = `strpos(${c}, '.')`;
    const digits = `ltrim(ltrim(${c}, '+-'), '0')`;
    return [
      `count(${c}) FILTER (WHERE ${letters}) AS o${i}`,
      `count(${c}) FILTER (WHERE TRY_CAST(${c} AS DOUBLE) IS NULL) AS x${i}`,
      `max(CASE WHEN strpos(${digits}, '.') > 0 THEN strpos(${digits}, '.') - 1 ELSE length(${digits}) END) FILTER (WHERE ${plain}) AS i${i}`,
      `max(CASE WHEN ${dot} > 0 THEN length(${c}) - ${dot} ELSE 0 END) FILTER (WHERE ${plain}) AS f${i}`,
    ];
  });
  const [row] = await reader.query(`SELECT ${parts.join(', ')} FROM ${from}`);
  columns.forEach((name, i) => {
    const n = (key: string) => Number(row?.[`${key}${i}`] ?? 0);
    const scale = n('f');
    const precision = Math.max(n('i') + scale, 1);
    const floats = n('o') - n('x');
    if (n('x') > 0) {
      const retryAs = floats > 0 || precision > 38 ? 'DOUBLE' : `DECIMAL(${precision},${scale})`;
      shapes.set(name, { kind: 'invalid', retryAs });
    } else if (floats > 0) shapes.set(name, { kind: 'double' });
    else shapes.set(name, precision > 38 ? { kind: 'text' } : { kind: 'decimal', precision, scale });
  });
  return shapes;
}

/** The DuckDB type for a shape (`invalid`: the type rejecting its bad lines). */
export function duckTypeOf(shape: NumericShape): string {
  if (shape.kind === 'invalid') return shape.retryAs;
  if (shape.kind === 'decimal') return `DECIMAL(${shape.precision},${shape.scale})`;
  return shape.kind === 'text' ? 'VARCHAR' : 'DOUBLE';
}

/** The exact DuckDB types of analyzed columns, and the columns to read again typed (their bad lines rejected). */
export interface ExactTypes {
  types: Record<string, string>;
  retry: Record<string, string>;
}

/**
 * Final types from the shapes: a declared DECIMAL(p,s) is kept when every value fits it, else a
 * LoadError (its values would be rounded); others get the type their values need.
 */
export function exactTypes(shapes: Map<string, NumericShape>, declared: Record<string, string>): ExactTypes {
  const result: ExactTypes = { types: {}, retry: {} };
  for (const [name, shape] of shapes) {
    const want = declared[name];
    if (shape.kind === 'invalid') {
      result.retry[name] = want ?? shape.retryAs;
      continue;
    }
    if (!want) {
      result.types[name] = duckTypeOf(shape);
      continue;
    }
    const [p, s] = (want.match(/\d+/g) ?? []).map(Number) as [number, number];
    const fits =
      shape.kind === 'decimal'
        ? shape.scale <= s && shape.precision - shape.scale <= p - s
        : shape.kind === 'double';
    if (!fits) {
      const needs =
        shape.kind === 'decimal' ? `DECIMAL(${shape.precision},${shape.scale})` : 'more than 38 digits';
      throw new LoadError(
        `column ${name}: its values need ${needs}, more than the declared ${want} holds (they would be rounded): widen the type`,
      );
    }
    result.types[name] = want;
  }
  return result;
}
