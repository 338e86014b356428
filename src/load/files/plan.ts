/**
 * How to read a ReadSpec exactly: the columns DuckDB detects, the user's type overrides, and
 * the columns read as text first because DuckDB guessed DOUBLE for them (a CSV or JSON number
 * such as `12345678901234567.89` would be rounded as a double: numeric-text.ts types them exactly).
 */
import { duckdbDialect as d } from '../../warehouse/duckdb/dialect.js';
import { LoadError } from '../write.js';
import type { SqlReader } from './reader.js';
import { readCall } from './reader-sql.js';
import { dropRejects, rejectTables } from './rejects.js';
import type { ReadSpec } from './spec.js';

/** A column as read: its name and DuckDB type. */
export interface ReadColumn {
  name: string;
  type: string;
}

/** A planned read. */
export interface ReadPlan {
  /** `SELECT … FROM read_…(…)` (without rejects options: see `select`). */
  columns: ReadColumn[];
  /** Columns read as VARCHAR whose exact numeric type is decided after the read. */
  numericText: string[];
  /** Numeric-text columns with a DECIMAL(p,s) the user declared: column → that type. */
  declared: Record<string, string>;
  /**
   * The SELECT reading the files, storing bad CSV lines in `rejects` when given; `finalTypes`
   * (column → DuckDB type) reads the numeric-text columns with their exact types instead.
   */
  select(rejects?: { table: string; scan: string }, finalTypes?: Record<string, string>): string;
}

/** Describes the files and plans the read. */
export async function planRead(
  reader: SqlReader,
  spec: ReadSpec,
  options: { trusted?: string[] } = {},
): Promise<ReadPlan> {
  const userTypes = spec.types ?? {};
  const csv = spec.format === 'csv' || spec.format === 'tsv';
  const json = spec.format === 'json' || spec.format === 'ndjson';
  // The sniffer reads with store_rejects as the load will (it sniffs differently without: one bad line can make it miss the delimiter).
  const probeRejects = csv ? rejectTables() : undefined;
  const probe = readCall(
    spec,
    csv ? { csvTypes: userTypes, ...(probeRejects ? { rejects: probeRejects } : {}) } : {},
  );
  let described: ReadColumn[];
  try {
    const rows = await reader.query(`DESCRIBE SELECT * FROM ${probe}`);
    described = rows.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  } catch (error) {
    throw new LoadError(
      `cannot read ${spec.files.length === 1 ? spec.files[0] : `${spec.files.length} files`}: ${message(error)}`,
    );
  } finally {
    if (probeRejects) await dropRejects(reader, probeRejects);
  }
  const unknown = Object.keys(userTypes).filter((name) => !described.some((c) => c.name === name));
  if (unknown.length > 0) {
    throw new LoadError(
      `types names column ${unknown.join(', ')}, which the files do not have (they have ${described.map((c) => c.name).join(', ')})`,
    );
  }
  const columns = described.map((c) => ({ name: c.name, type: userTypes[c.name] ?? c.type }));
  // Guessed DOUBLEs and declared DECIMALs (DuckDB would round extra decimals silently) are read
  // as text first, except `trusted` columns (a retry reading them typed to reject bad lines).
  const trusted = new Set(options.trusted ?? []);
  const declared: Record<string, string> = {};
  for (const [name, type] of Object.entries(userTypes)) {
    if (/^DECIMAL\(\s*\d+\s*,\s*\d+\s*\)$/i.test(type) && !trusted.has(name)) declared[name] = type;
  }
  const numericText =
    csv || json
      ? columns
          .filter(
            (c) =>
              !trusted.has(c.name) && ((c.type === 'DOUBLE' && !(c.name in userTypes)) || c.name in declared),
          )
          .map((c) => c.name)
      : [];
  const readTypes = columns.map((c) => ({
    name: c.name,
    type: numericText.includes(c.name) ? 'VARCHAR' : c.type,
  }));
  const csvTypes = Object.fromEntries(
    readTypes.filter((c) => c.name in userTypes || numericText.includes(c.name)).map((c) => [c.name, c.type]),
  );
  const selectList = columns
    .map((c) =>
      spec.format === 'parquet' && c.name in userTypes
        ? `CAST(${d.quoteIdent(c.name)} AS ${c.type}) AS ${d.quoteIdent(c.name)}`
        : d.quoteIdent(c.name),
    )
    .join(', ');
  return {
    columns: columns.map((c) => (numericText.includes(c.name) ? { name: c.name, type: 'VARCHAR' } : c)),
    numericText,
    declared: csv || json ? declared : {},
    select: (rejects, finalTypes = {}) => {
      const jsonColumns = readTypes.map((c) => ({ name: c.name, type: finalTypes[c.name] ?? c.type }));
      const call = csv
        ? readCall(spec, { csvTypes: { ...csvTypes, ...finalTypes }, ...(rejects ? { rejects } : {}) })
        : json
          ? readCall(spec, { jsonColumns })
          : readCall(spec);
      return `SELECT ${selectList} FROM ${call}`;
    },
  };
}

/** An error's message without DuckDB's SQL excerpt (`LINE 1: …`). */
export function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(/\n\s*\nLINE \d+:/)[0]!.trim();
}
