/**
 * The privacy runner of `weft serve`: every `privacy.api.run_interval_seconds` (and right after a
 * request arrives) it works the pending steps of the ledger — the same `runPendingSteps` as
 * `weft privacy run`, for requests from the API and the CLI alike — then sends the status
 * callbacks and prunes old exports. One pass at a time; the warehouse is opened per pass (a DuckDB
 * file is free for other weft commands between passes). Its failures are logged, never thrown.
 */
import type { Project } from '../config/types.js';
import { pruneExports } from '../privacy/access.js';
import { notifyStatusChanges } from '../privacy/callbacks.js';
import { maskQuoted } from '../privacy/hash.js';
import { ensureInboundTables } from '../privacy/inbound.js';
import { runPendingSteps } from '../privacy/requests.js';
import { existingSuppressions, privacyTables } from '../privacy/tables.js';
import { openWarehouse } from '../warehouse/registry.js';
import { withWarehouse } from '../warehouse/shared-access.js';

/** How the runner runs. */
export interface PrivacyRunnerOptions {
  /** Between passes; 0: no background passes (kick does nothing). */
  intervalMs: number;
  /** The server's base URL (results_url of completed exports). */
  baseUrl: () => string;
  say: (line: string) => void;
}

/** The background loop; `kick()` asks for a pass now, `close()` stops it (aborting a pass in flight). */
export class PrivacyRunner {
  private readonly stop = new AbortController();
  private wake?: () => void;
  private again = false;
  private readonly loop: Promise<void>;
  /** Passes completed (tests poll it). */
  passes = 0;

  constructor(
    private readonly project: Project,
    private readonly options: PrivacyRunnerOptions,
  ) {
    this.loop = options.intervalMs > 0 ? this.run() : Promise.resolve();
  }

  /** A pass as soon as the current one (if any) ends. */
  kick(): void {
    this.again = true;
    this.wake?.();
  }

  async close(): Promise<void> {
    this.stop.abort('weft serve is stopping');
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      this.again = false;
      try {
        await this.pass();
      } catch (error) {
        // The kind only: a warehouse error's SQL may quote an identifier.
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        if (!this.stop.signal.aborted)
          this.options.say(`privacy run failed (retried): ${maskQuoted(message ?? '')}`);
      }
      this.passes++;
      if (this.again || this.stop.signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.intervalMs);
        timer.unref();
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async pass(): Promise<void> {
    const project = this.project;
    const schema = project.config.state_schema;
    await withWarehouse(project, async (warehouse) => {
      if (!(await existingSuppressions(warehouse, schema))) return; // no privacy request ever
      await ensureInboundTables(warehouse, schema);
      const d = warehouse.dialect;
      const [open] = await warehouse.query(
        `SELECT count(*) AS n FROM ${d.qualify(privacyTables(schema).requests)} WHERE status = 'open'`,
      );
      if (Number(open?.n ?? 0) > 0) {
        await runPendingSteps(project, warehouse, {
          signal: this.stop.signal,
          openWarehouse: () => openWarehouse(project.config.warehouse, { projectDir: project.dir }),
        });
      }
      if (this.stop.signal.aborted) return;
      await notifyStatusChanges(project, warehouse, {
        baseUrl: this.options.baseUrl(),
        say: this.options.say,
      });
    });
    pruneExports(project, project.config.privacy?.api?.export_retention_days ?? 30, new Date());
  }
}
