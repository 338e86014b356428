/** What the console's API handlers work with: the project (reloaded after a save) and its warehouse. */
import { loadProjectOrThrow } from '../../config/project.js';
import type { Project } from '../../config/types.js';
import { withWarehouse } from '../../warehouse/shared-access.js';
import type { Warehouse } from '../../warehouse/types.js';

/** The console's view of the project. */
export interface ConsoleContext {
  /** The project as last loaded. */
  project(): Project;
  /** Loads the project's files again (after the console wrote one). */
  reload(): Promise<Project>;
  /**
   * Runs `body` with the warehouse open. Units of one lane run one at a time, in call order (the
   * default lane for pages; the builder's insights have their own, so a live size never waits
   * behind them): the units running side by side share one embedded DuckDB instance, each on its
   * own connection; between requests the file stays open while nobody else needs it (withWarehouse's
   * keepWarm: another weft process or thread asking for it gets it at once). With `signal`, an abort drops a unit
   * still waiting for its turn and stops a running one: the statement running is interrupted where
   * the engine can, and no further statement starts (the call rejects with CancelledError).
   */
  warehouse<T>(body: (warehouse: Warehouse) => Promise<T>, options?: UnitOptions): Promise<T>;
  /** Values that must never leave the server: weft.yml's secrets and the serve keys. */
  secrets(): string[];
  /**
   * A signal for the call `key` names (one builder's call of one kind) about `draft`, aborted when
   * `signal` is, when a later call with the same key supersedes it, or when `supersede` names a
   * different draft: the newest draft's calls are the ones that run.
   */
  latest(key: string, draft: string, signal: AbortSignal): AbortSignal;
  /** Aborts the call `key` names when it is about another draft than `draft`. */
  supersede(key: string, draft: string): void;
  /** Forgets the call `latest` gave `signal` to, once it is answered. */
  settled(key: string, signal: AbortSignal): void;
}

/** How a unit of warehouse work runs. */
export interface UnitOptions {
  /** Units of one lane run one at a time (default `pages`). */
  lane?: string;
  /** Aborting it cancels the unit (see ConsoleContext.warehouse). */
  signal?: AbortSignal;
}

/** A console context over `initial`. */
export function consoleContext(initial: Project): ConsoleContext {
  let project = initial;
  const lanes = new Map<string, Promise<unknown>>();
  const current = new Map<string, { controller: AbortController; draft: string }>();
  return {
    project: () => project,
    async reload() {
      project = await loadProjectOrThrow(project.dir);
      return project;
    },
    warehouse<T>(body: (warehouse: Warehouse) => Promise<T>, options: UnitOptions = {}): Promise<T> {
      const lane = options.lane ?? 'pages';
      const { signal } = options;
      const turn = lanes.get(lane) ?? Promise.resolve();
      const next = turn.then(() => {
        if (signal?.aborted) throw new CancelledError();
        // Kept warm between requests (while no other process or thread needs the file): a cold
        // DuckDB instance reads every block a page's queries touch again.
        return withWarehouse(
          project,
          (warehouse) => (signal ? cancellable(warehouse, body, signal) : body(warehouse)),
          { keepWarm: true },
        );
      });
      lanes.set(
        lane,
        next.catch(() => undefined),
      );
      if (!signal) return next;
      // A unit still waiting for its turn answers at once when aborted (and then never runs).
      return new Promise<T>((resolve, reject) => {
        const aborted = () => reject(new CancelledError());
        if (signal.aborted) aborted();
        signal.addEventListener('abort', aborted, { once: true });
        next.then(resolve, reject).finally(() => signal.removeEventListener('abort', aborted));
      });
    },
    latest(key: string, draft: string, signal: AbortSignal): AbortSignal {
      current.get(key)?.controller.abort();
      const controller = new AbortController();
      current.set(key, { controller, draft });
      const forget = () => {
        if (current.get(key)?.controller === controller) current.delete(key);
      };
      controller.signal.addEventListener('abort', forget, { once: true });
      if (signal.aborted) controller.abort();
      else signal.addEventListener('abort', () => controller.abort(), { once: true });
      return controller.signal;
    },
    settled(key: string, signal: AbortSignal): void {
      if (current.get(key)?.controller.signal === signal) current.delete(key);
    },
    supersede(key: string, draft: string): void {
      const call = current.get(key);
      if (call && call.draft !== draft) call.controller.abort();
    },
    secrets() {
      const serve = project.config.serve;
      const keys = [serve?.admin_key, serve?.editor_key, serve?.viewer_key, serve?.publishable_key];
      return [...project.secrets, ...keys, ...(serve?.publishable_keys ?? [])].filter(
        (s): s is string => typeof s === 'string' && s.length >= 4,
      );
    },
  };
}

/** How often a cancelled unit's statement is interrupted again until it stops. */
const INTERRUPT_REPEAT_MS = 100;

/** A unit cancelled by its signal (a newer draft, or the client went away): answered 409. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  readonly status = 409;
  constructor() {
    super('cancelled: a newer request replaced this one');
  }
}

/**
 * Runs `body` on `warehouse` so that an abort stops it: no statement starts once aborted, and the
 * one running is interrupted where the engine offers it (DuckDB); it then rejects with
 * CancelledError.
 */
async function cancellable<T>(
  warehouse: Warehouse,
  body: (warehouse: Warehouse) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  const check = () => {
    if (signal.aborted) throw new CancelledError();
  };
  const guarded: Warehouse = {
    dialect: warehouse.dialect,
    execute: async (sql) => {
      check();
      return warehouse.execute(sql);
    },
    query: async (sql) => {
      check();
      return warehouse.query(sql);
    },
    stream: (sql, options) => {
      check();
      return warehouse.stream(sql, options);
    },
    load: async (ref, columns, rows, options) => {
      check();
      return warehouse.load(ref, columns, rows, options);
    },
    transaction: (inner) => warehouse.transaction(inner),
    close: () => warehouse.close(),
  };
  // An interrupt reaching DuckDB before its statement began is lost: repeat it until `body` ends.
  const engine = warehouse as { interrupt?: () => void };
  let repeat: NodeJS.Timeout | undefined;
  const interrupt = () => {
    if (!engine.interrupt) return;
    engine.interrupt();
    repeat = setInterval(() => engine.interrupt?.(), INTERRUPT_REPEAT_MS);
  };
  signal.addEventListener('abort', interrupt, { once: true });
  try {
    return await body(guarded);
  } catch (error) {
    if (signal.aborted) throw new CancelledError();
    throw error;
  } finally {
    signal.removeEventListener('abort', interrupt);
    clearInterval(repeat);
  }
}

/** An answer other than 200, with its status (a bad request, a missing thing, a role too low). */
export class ConsoleError extends Error {
  override name = 'ConsoleError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
