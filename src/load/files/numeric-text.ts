/**
 * Exact types for numeric columns read as text: plain decimals become DECIMAL(p,s) with the
 * precision and scale the values need (never rounded), numbers with exponents DOUBLE, and more
 * than 38 digits stay text (exact).
 */
import { duckdbDialect as d } from '../../warehouse/duckdb/dialect.js';
import type { SqlReader } from './reader.js';

/** What a numeric-text column turned out to hold. */
export type NumericShape =
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'double' }
  | { kind: 'text' }
  /** Values that are no number at all: read the column again as `retryAs` (the type of the valid values) to have them rejected by line. */
  | { kind: 'invalid'; retryAs: string };

const PLAIN_DECIMAL = String.raw`\s*[+-]?(\d+\.?\d*|\.\d+)\s*`;

/** Analyzes `columns` of relation/query `from` (one scan). */
export async function numericShapes(
  reader: SqlReader,
  from: string,
  columns: string[],
): Promise<Map<string, NumericShape>> {
  const shapes = new Map<string, NumericShape>();
  if (columns.length === 0) return shapes;
  const parts = columns.flatMap((name, i) => {
    const c = `trim(${d.quoteIdent(name)})`;
    const plain = `regexp_full_match(${c}, ${d.literal(PLAIN_DECIMAL)})`;
    return [
      `count(${c}) FILTER (WHERE NOT regexp_full_match(${c}, ${d.literal(PLAIN_DECIMAL)})) AS o${i}`,
      `count(${c}) FILTER (WHERE TRY_CAST(${c} AS DOUBLE) IS NULL) AS x${i}`,
      `max(length(ltrim(split_part(ltrim(${c}, '+-'), '.', 1), '0'))) FILTER (WHERE ${plain}) AS i${i}`,
      `max(length(split_part(${c}, '.', 2))) FILTER (WHERE ${plain}) AS f${i}`,
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
