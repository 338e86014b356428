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
   * Runs `body` with the warehouse open. Units run one at a time, so an embedded DuckDB file is
   * opened once at a time by the console and released between requests for other weft commands.
   */
  warehouse<T>(body: (warehouse: Warehouse) => Promise<T>): Promise<T>;
  /** Values that must never leave the server: weft.yml's secrets and the serve keys. */
  secrets(): string[];
}

/** A console context over `initial`. */
export function consoleContext(initial: Project): ConsoleContext {
  let project = initial;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    project: () => project,
    async reload() {
      project = await loadProjectOrThrow(project.dir);
      return project;
    },
    warehouse<T>(body: (warehouse: Warehouse) => Promise<T>): Promise<T> {
      const next = queue.then(() => withWarehouse(project, body));
      queue = next.catch(() => undefined);
      return next;
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
