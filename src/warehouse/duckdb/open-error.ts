import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WarehouseError } from '../types.js';

// DuckDB: `IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in /usr/bin/node (PID 7174). See also …`
const LOCK_PATTERN = /Could not set lock on file[^:]*:\s*Conflicting lock is held in (.*?) \(PID (\d+)\)/i;
const LOCK_WITHOUT_HOLDER = /Could not set lock on file/i;

/**
 * Turns a failure of `DuckDBInstance.create` into a human, actionable WarehouseError. The
 * original DuckDB error is kept as `cause`.
 * @param shownPath the path as the user knows it (relative to the project when inside it).
 */
export function openError(error: unknown, shownPath: string): WarehouseError {
  const message = error instanceof Error ? error.message : String(error);
  const lock = LOCK_PATTERN.exec(message);
  if (lock || LOCK_WITHOUT_HOLDER.test(message)) {
    const holder = lock ? ` (${describeProcess(Number(lock[2]), lock[1] ?? '')})` : '';
    return new WarehouseError(
      `The warehouse file ${shownPath} is in use by another process${holder}. ` +
        'Close it (another weft command, a DuckDB shell, a notebook) and try again.',
      undefined,
      { cause: error },
    );
  }
  const reason = message.replace(/\s*See also https?:\S+/, '').trim();
  return new WarehouseError(`Cannot open the DuckDB warehouse at ${shownPath}: ${reason}`, undefined, {
    cause: error,
  });
}

/** `pid 1234: node dist/src/cli/main.js build`, from /proc when available, else DuckDB's program path. */
function describeProcess(pid: number, programPath: string): string {
  const commandLine = readCommandLine(pid) ?? path.basename(programPath.trim());
  return commandLine ? `pid ${pid}: ${commandLine}` : `pid ${pid}`;
}

function readCommandLine(pid: number): string | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    if (args.length === 0) return undefined;
    // One line, even for `node -e '<multi-line script>'`.
    const text = [path.basename(args[0] as string), ...args.slice(1)].join(' ').replace(/\s+/g, ' ').trim();
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** The path to show users: relative to the project when the file lies inside it. */
export function displayPath(absolutePath: string, projectDir: string): string {
  const relative = path.relative(projectDir, absolutePath);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolutePath;
}
