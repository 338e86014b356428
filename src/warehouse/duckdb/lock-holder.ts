/** Who holds a DuckDB file lock, read from DuckDB's error and /proc. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

// DuckDB: `IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in /usr/bin/node (PID 7174). See also …`
const LOCK_PATTERN = /Could not set lock on file[^:]*:\s*Conflicting lock is held in (.*?) \(PID (\d+)\)/i;
const LOCK_WITHOUT_HOLDER = /Could not set lock on file/i;

/** The process holding the file, as far as it can be told. */
export interface LockHolder {
  pid?: number;
  /** `weft schedule`, `node -e …`, or DuckDB's program name; undefined when unknown. */
  command?: string;
  /**
   * True when the holder is a weft command (it releases the file between units of work), false
   * when it is something else, undefined when that cannot be told (no /proc).
   */
  isWeft?: boolean;
}

/** The holder when `error` is DuckDB's "could not set lock", else undefined. */
export function lockHolder(error: unknown): LockHolder | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const lock = LOCK_PATTERN.exec(message);
  if (!lock) return LOCK_WITHOUT_HOLDER.test(message) ? {} : undefined;
  const pid = Number(lock[2]);
  const args = readCommandLine(pid);
  if (!args) {
    const program = path.basename((lock[1] ?? '').trim());
    return { pid, ...(program ? { command: program } : {}) };
  }
  const weftIndex = args.findIndex(isWeftEntry);
  if (weftIndex >= 0 && weftIndex <= 1)
    return { pid, command: oneLine(['weft', ...args.slice(weftIndex + 1)]), isWeft: true };
  return { pid, command: oneLine([path.basename(args[0] as string), ...args.slice(1)]), isWeft: false };
}

/** `pid 1234: weft schedule` or `pid 1234`, or empty when nothing is known. */
export function describeHolder(holder: LockHolder): string {
  if (holder.pid === undefined) return '';
  return holder.command ? `pid ${holder.pid}: ${holder.command}` : `pid ${holder.pid}`;
}

/** weft's executable: the `weft` bin (npm link, npx) or the compiled CLI entry point. */
function isWeftEntry(arg: string): boolean {
  return /(^|\/)weft$/.test(arg) || /\/cli\/main\.[cm]?js$/.test(arg);
}

function readCommandLine(pid: number): string[] | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return args.length > 0 ? args : undefined;
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** One short line, even for `node -e '<multi-line script>'`. */
function oneLine(args: string[]): string {
  const text = args.join(' ').replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
