/** `weft load`: files or an operational database into a source table of the warehouse. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  type FileFormat,
  LOAD_MODES,
  type LoadMode,
  type LoadProgressReport,
  type LoadSummary,
  loadFiles,
  loadFromDatabase,
} from '../load/index.js';
import { type GlobalOptions, withContext } from './context.js';
import { UsageError } from './errors.js';
import { formatBytes, formatCount, formatMs } from './format.js';
import { parsePositiveInt } from './parse.js';

interface LoadOptions extends GlobalOptions {
  into?: string;
  mode: LoadMode;
  key?: string;
  format: FileFormat;
  header?: boolean;
  delimiter?: string;
  types?: string;
  hivePartitioning?: boolean;
  maxRejects: number;
  from?: string;
  table?: string;
  query?: string;
  cursor?: string;
  full?: boolean;
}

const FORMATS: readonly FileFormat[] = ['auto', 'csv', 'tsv', 'json', 'ndjson', 'parquet'];

function oneOf<T extends string>(name: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${name} takes one of ${allowed.join(', ')}, got '${value}'.`);
    }
    return value as T;
  };
}

/** `a:VARCHAR,b:DECIMAL(18,2)` → `{ a: 'VARCHAR', b: 'DECIMAL(18,2)' }` (commas inside parentheses kept). */
export function parseTypes(text: string): Record<string, string> {
  const types: Record<string, string> = {};
  for (const part of text.split(/,(?![^(]*\))/)) {
    const at = part.indexOf(':');
    if (at <= 0 || at === part.length - 1) {
      throw new UsageError(`--types takes column:TYPE pairs separated by commas, got '${part}'`);
    }
    types[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return types;
}

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description('load files (CSV, TSV, JSON, Parquet) or a database table into a source table')
    .argument('[files...]', 'files or globs, relative to the project (quote globs)')
    .option('--into <source.table>', 'the source table to write, e.g. shop.orders')
    .option('--mode <mode>', 'replace | append | upsert', oneOf('--mode', LOAD_MODES), 'replace')
    .option('--key <columns>', 'upsert: the column(s) identifying a row, comma-separated')
    .option(
      '--format <format>',
      `${FORMATS.join(' | ')} (auto: by extension)`,
      oneOf('--format', FORMATS),
      'auto',
    )
    .option('--header', 'CSV: the first line holds column names (default: sniffed)')
    .option('--no-header', 'CSV: the first line is data')
    .option('--delimiter <char>', 'CSV: field delimiter (default: sniffed)')
    .option('--types <col:TYPE,…>', 'override sniffed column types, e.g. "zip:VARCHAR,amount:DECIMAL(18,2)"')
    .option('--hive-partitioning', 'read key=value folders in the paths as columns')
    .option(
      '--max-rejects <n>',
      'bad lines allowed before the load fails (default 0: any bad line fails it, nothing is written)',
      parsePositiveInt('--max-rejects', 0),
      0,
    )
    .option('--from <url>', 'an operational database: mysql://, mariadb://, postgres://, mssql:// URL')
    .option('--table <name>', '--from: the table to read')
    .option('--query <sql>', '--from: a query to read instead of a table')
    .option(
      '--cursor <column>',
      "--from: read only rows whose column is at or above the last load's maximum (upsert by --key, else append above it)",
    )
    .option('--full', '--from with --cursor: read everything again')
    .addHelpText(
      'after',
      `
Examples:
  weft load exports/customers.csv --into shop.customers
  weft load 'exports/orders/*.parquet' --into shop.orders --mode append
  weft load contacts.ndjson --into crm.contacts --mode upsert --key id
  weft load --from mysql://reader@db.internal/shop --table orders --into shop.orders --cursor updated_at

Loads are typed (columns sniffed, or --types), streamed in bounded memory, and atomic: a failed
replace leaves the table as it was. Bad lines are listed with their line numbers.`,
    )
    .action(async (files: string[], _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<LoadOptions>();
      if (!opts.into) throw new UsageError('weft load needs --into SOURCE.TABLE, e.g. --into shop.orders');
      if (!/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(opts.into)) {
        throw new UsageError(`--into takes SOURCE.TABLE (letters, digits, underscores), got '${opts.into}'`);
      }
      if (opts.from && files.length > 0) throw new UsageError('give files or --from, not both');
      if (!opts.from && files.length === 0) throw new UsageError('weft load needs files (or --from URL)');
      if (opts.from && !opts.table === !opts.query)
        throw new UsageError('--from needs exactly one of --table or --query');
      const key = opts.key
        ?.split(',')
        .map((k) => k.trim())
        .filter(Boolean);
      await withContext(opts, async ({ out, project, warehouse }) => {
        const progress = {
          onProgress: (p: LoadProgressReport) =>
            out.progress(
              p.stage
                ? `  loading ${opts.into}: ${p.stage}${p.totalBytes !== undefined ? ` (${formatBytes(p.totalBytes)})` : ''}… ${Math.round((p.elapsedMs ?? 0) / 1000)}s`
                : `  loading ${opts.into}: ${formatCount(p.rows)} rows${p.file ? ` (${p.file})` : ''}`,
            ),
        };
        const summary = opts.from
          ? await loadFromDatabase(
              project,
              await warehouse(),
              {
                from: opts.from,
                ...(opts.table ? { table: opts.table } : {}),
                ...(opts.query ? { query: opts.query } : {}),
                into: opts.into!,
                mode: opts.mode,
                ...(key ? { key } : {}),
                ...(opts.cursor ? { cursor: opts.cursor } : {}),
                ...(opts.full ? { full: true } : {}),
              },
              progress,
            )
          : await loadFiles(
              project,
              await warehouse(),
              {
                patterns: files,
                into: opts.into!,
                mode: opts.mode,
                ...(key ? { key } : {}),
                format: opts.format,
                ...(opts.header !== undefined ? { header: opts.header } : {}),
                ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
                ...(opts.types ? { types: parseTypes(opts.types) } : {}),
                ...(opts.hivePartitioning ? { hivePartitioning: true } : {}),
                maxRejects: opts.maxRejects,
              },
              progress,
            );
        printSummary(out, summary);
        out.result(summary);
      });
    });
}

function printSummary(out: { info(line?: string): void }, summary: LoadSummary): void {
  out.info(
    `✓ ${formatCount(summary.rows_loaded)} rows into ${summary.into} (${summary.mode}) in ${formatMs(summary.ms)}` +
      (summary.cursor !== undefined ? `; cursor now ${summary.cursor}` : ''),
  );
  if (summary.rejected_count > 0) {
    out.info(
      `  ${formatCount(summary.rejected_count)} rejected line${summary.rejected_count === 1 ? '' : 's'}:`,
    );
    for (const r of summary.rejected) {
      out.info(
        `    ${r.file}${r.line !== undefined ? `:${r.line}` : ''}${r.column ? ` (${r.column})` : ''}: ${r.reason}`,
      );
    }
    if (summary.rejected_count > summary.rejected.length) {
      out.info(`    … and ${formatCount(summary.rejected_count - summary.rejected.length)} more`);
    }
  }
  for (const hint of summary.hints ?? []) out.info(hint);
}
