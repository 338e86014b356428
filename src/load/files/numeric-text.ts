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
  /** Values that are no number at all: read the column as DOUBLE to have them rejected by line. */
  | { kind: 'invalid' };

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
    return [
      `count(${c}) FILTER (WHERE NOT regexp_full_match(${c}, ${d.literal(PLAIN_DECIMAL)})) AS o${i}`,
      `count(${c}) FILTER (WHERE TRY_CAST(${c} AS DOUBLE) IS NULL) AS x${i}`,
      `max(length(ltrim(split_part(ltrim(${c}, '+-'), '.', 1), '0'))) AS i${i}`,
      `max(length(split_part(${c}, '.', 2))) AS f${i}`,
    ];
  });
  const [row] = await reader.query(`SELECT ${parts.join(', ')} FROM ${from}`);
  columns.forEach((name, i) => {
    const n = (key: string) => Number(row?.[`${key}${i}`] ?? 0);
    if (n('x') > 0) shapes.set(name, { kind: 'invalid' });
    else if (n('o') > 0) shapes.set(name, { kind: 'double' });
    else {
      const scale = n('f');
      const precision = Math.max(n('i') + scale, 1);
      shapes.set(name, precision > 38 ? { kind: 'text' } : { kind: 'decimal', precision, scale });
    }
  });
  return shapes;
}

/** The DuckDB type for a shape (`invalid` → DOUBLE, so the bad lines are rejected). */
export function duckTypeOf(shape: NumericShape): string {
  if (shape.kind === 'decimal') return `DECIMAL(${shape.precision},${shape.scale})`;
  return shape.kind === 'text' ? 'VARCHAR' : 'DOUBLE';
}
