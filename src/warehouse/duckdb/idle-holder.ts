/**
 * A process keeping a DuckDB file open while idle (the console's warm warehouse: a cold DuckDB
 * instance re-reads every block a query touches, seconds at 1M profiles) must give it up as soon
 * as another weft process wants it. It says so with a marker file beside the database,
 * `<file>.weft-idle`, holding its pid while it idles. A process that finds the file locked by
 * that pid removes the marker (its request) and waits its turn (lock-wait.ts); the idle holder
 * watches its marker and closes the file once it is gone. A marker left by a process that died
 * names a pid that no longer holds the lock, so it is ignored. A process that finds the file held
 * by a unit of work (not idle) touches `<file>.weft-wanted` while it waits, so the holder does not
 * start idling on the file when that unit ends.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { othersWaitForTurn } from './thread-turns.js';

/** An idle hold on a file: `wanted` once another process or thread asks for it. */
export interface IdleHold {
  /** True once another weft process removed the marker, or another thread waits for its turn. */
  wanted(): boolean;
  /** Removes the marker (when it is still this process's); call when the file is closed. */
  end(): void;
}

/** A wait noted in `<file>.weft-wanted` counts this long (waiters touch it every 25-250 ms). */
const WANTED_RECENT_MS = 1000;

/** The marker's path for a database file. */
export function idleMarkerPath(databasePath: string): string {
  return `${databasePath}.weft-idle`;
}

/** The file a waiting process touches. */
export function wantedPath(databasePath: string): string {
  return `${databasePath}.weft-wanted`;
}

/** Notes that this process waits for `databasePath` (best effort). */
export function noteWanted(databasePath: string): void {
  const file = wantedPath(databasePath);
  try {
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      closeSync(openSync(file, 'w'));
    }
  } catch {
    // A read-only directory: the holder finds out when it idles and the waiter asks.
  }
}

function recentlyWanted(databasePath: string): boolean {
  try {
    return statSync(wantedPath(databasePath)).mtimeMs > Date.now() - WANTED_RECENT_MS;
  } catch {
    return false;
  }
}

/**
 * Marks `databasePath` as held idle by this process; undefined when another process or thread
 * waits for it already, or when the marker cannot be written (a read-only directory): the caller
 * then must not keep the file, since nobody could ask for it.
 */
export function holdIdle(databasePath: string): IdleHold | undefined {
  if (othersWaitForTurn() || recentlyWanted(databasePath)) return undefined;
  const marker = idleMarkerPath(databasePath);
  const mine = String(process.pid);
  try {
    writeFileSync(marker, mine);
  } catch {
    return undefined;
  }
  const stillMine = () => {
    try {
      return readFileSync(marker, 'utf8') === mine;
    } catch {
      return false;
    }
  };
  return {
    wanted: () => othersWaitForTurn() || !stillMine(),
    end: () => {
      if (stillMine()) rmSync(marker, { force: true });
    },
  };
}

/**
 * Asks the process `pid` holding `databasePath` to release it, when that process is holding it
 * idle: removes its marker and returns true (the caller then waits for the file). False when
 * `pid` is not an idle weft holder of this file.
 */
export function askIdleHolder(databasePath: string, pid: number | undefined): boolean {
  if (pid === undefined) return false;
  const marker = idleMarkerPath(databasePath);
  try {
    if (readFileSync(marker, 'utf8') !== String(pid)) return false;
    rmSync(marker, { force: true });
    return true;
  } catch {
    return false;
  }
}
