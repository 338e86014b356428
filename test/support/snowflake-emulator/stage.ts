/**
 * PUT and COPY INTO for the emulator. PUT is answered with a LOCAL_FS stage (a folder under the
 * emulator's stage root), which snowflake-sdk's own file transfer agent copies the files into,
 * gzip-compressed when AUTO_COMPRESS (the default); COPY INTO reads those files with DuckDB's
 * read_csv and inserts them through the transpiled `SELECT $1, … FROM @stage` transformation.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { SqlError } from './errors.js';

/** A stage reference `@name[/path/]`, split into the stage name and the folder inside it. */
export interface StageLocation {
  name: string;
  folder: string;
}

const STAGE = /^@((?:"(?:[^"]|"")*"|[^"/\s)])+)(\/[^\s)]*)?$/;

/** Parses `@"s".%"t"/weft-1/`; throws a compilation error for anything else. */
export function parseStage(text: string): StageLocation {
  const match = STAGE.exec(text.trim());
  if (!match)
    throw new SqlError('001003', '42000', `SQL compilation error:\nsyntax error: bad stage ${text}`);
  return { name: match[1] as string, folder: (match[2] ?? '/').replace(/^\/+/, '') };
}

/** The folder holding a stage location's files. */
export function stageDir(root: string, stage: StageLocation): string {
  return path.join(root, encodeURIComponent(stage.name), ...stage.folder.split('/').filter(Boolean));
}

const PUT = /^\s*PUT\s+(?:'file:\/\/((?:[^'\\]|\\.|'')*)'|file:\/\/(\S+))\s+(@\S+)([\s\S]*)$/i;

/** The `data` of Snowflake's answer to PUT, pointing the driver at a LOCAL_FS stage folder. */
export function putResponse(sql: string, root: string): Record<string, unknown> {
  const match = PUT.exec(sql);
  if (!match) throw new SqlError('001003', '42000', 'SQL compilation error:\nsyntax error in PUT');
  const source = (match[1] ?? '').replace(/\\(.)/g, '$1').replaceAll("''", "'") || (match[2] as string);
  const options = match[4] ?? '';
  const autoCompress = !/AUTO_COMPRESS\s*=\s*FALSE/i.test(options);
  const overwrite = /OVERWRITE\s*=\s*TRUE/i.test(options);
  const location = stageDir(root, parseStage(match[3] as string));
  return {
    command: 'UPLOAD',
    src_locations: [source],
    autoCompress,
    sourceCompression: 'auto_detect',
    parallel: 4,
    overwrite,
    stageInfo: {
      locationType: 'LOCAL_FS',
      location,
      path: '',
      region: null,
      creds: {},
      isClientSideEncrypted: false,
    },
    encryptionMaterial: null,
  };
}

/** The parts of `COPY INTO target [(cols)] FROM (SELECT exprs FROM @stage) | @stage … [PURGE = TRUE]`. */
export interface CopyPlan {
  target: string;
  columns: string | undefined;
  expressions: string | undefined;
  stage: StageLocation;
  purge: boolean;
  skipHeader: number;
}

const COPY =
  /^\s*COPY\s+INTO\s+([\s\S]+?)\s*(\([^()]*\))?\s+FROM\s+(?:\(\s*SELECT\s+([\s\S]+?)\s+FROM\s+(@[^\s)]+)\s*\)|(@\S+))([\s\S]*)$/i;

/** Parses a COPY INTO of CSV files from a stage (the form weft writes; other formats are refused). */
export function parseCopy(sql: string): CopyPlan {
  const match = COPY.exec(sql);
  if (!match)
    throw new SqlError('001003', '42000', 'SQL compilation error:\nsyntax error in COPY INTO (emulator)');
  const options = match[6] ?? '';
  const type = /TYPE\s*=\s*'?(\w+)'?/i.exec(options)?.[1]?.toUpperCase() ?? 'CSV';
  if (type !== 'CSV')
    throw new SqlError(
      '002140',
      '42601',
      `SQL compilation error:\nfile format ${type} (emulator reads CSV only)`,
    );
  return {
    target: match[1] as string,
    columns: match[2],
    expressions: match[3],
    stage: parseStage((match[4] ?? match[5]) as string),
    purge: /PURGE\s*=\s*TRUE/i.test(options),
    skipHeader: Number(/SKIP_HEADER\s*=\s*(\d+)/i.exec(options)?.[1] ?? 0),
  };
}

/** Every file under a stage folder (none when it does not exist). */
export async function stagedFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
  } catch {
    return [];
  }
}

/** Removes loaded files (PURGE = TRUE). */
export async function purge(files: string[]): Promise<void> {
  await Promise.all(files.map((file) => rm(file, { force: true })));
}
