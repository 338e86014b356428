/** `weft sync [SYNC…] [--all]`: push each sync's changes to its destination and record the run. */
import type { Command } from 'commander';
import { alertRun } from '../alerts/index.js';
import type { Project } from '../config/types.js';
import {
  type PushCounts,
  type RunSummary,
  readLeaseFile,
  runSync,
  SyncAlreadyRunningError,
  SyncConfigError,
  SyncUnavailableError,
  selectSyncs,
  topRejections,
} from '../sync/index.js';
import type { Warehouse } from '../warehouse/types.js';
import { type GlobalOptions, withContext } from './context.js';
import { ReportedFailure, UsageError } from './errors.js';
import { formatCount, formatMs } from './format.js';
import type { Output } from './output.js';
import { onStopSignals } from './signals.js';

interface SyncCommandOptions extends GlobalOptions {
  all?: boolean;
  fullResync?: boolean;
  skipBackfill?: boolean;
  allowMassDelete?: boolean;
  alert?: boolean;
}

export function registerSync(program: Command): void {
  program
    .command('sync [syncs...]')
    .description('push what changed since the last acknowledged delivery to each destination')
    .option('--all', 'run every sync in syncs/')
    .option('--full-resync', 're-send every row (the destination is re-filled; mirror still deletes)')
    .option(
      '--skip-backfill',
      'record the current rows as delivered without sending (adopt a filled destination)',
    )
    .option('--allow-mass-delete', 'let a run delete more than its guardrails allow')
    .option('--alert', "send weft.yml's `alerts:` an alert for a failed or partial run")
    .addHelpText(
      'after',
      `
A row is marked synced only once the destination acknowledged it; a run killed at any point
re-sends exactly what was not acknowledged next time. SIGTERM / Ctrl-C stops gracefully: the
batches in flight finish, the run is committed as partial and later syncs do not start; a
second signal exits at once. Rejected rows go to
<state_schema>.sync_rejections with the reason and are retried by the next run.

Exit codes: 0 when every sync succeeded; 1 when any sync is partial (some rows rejected or not
acknowledged), failed, stopped by a guardrail or already running; 2 bad usage or config.
--json prints one line per sync:
  {"sync","status":"success|partial|failed","added","changed","removed","succeeded","rejected","duration_ms",…}

Examples:
  weft sync hubspot_vip
  weft sync --all --json`,
    )
    .action(async (names: string[], _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<SyncCommandOptions>();
      if (names.length === 0 && !opts.all) throw new UsageError('name the syncs to run, or pass --all');
      if (names.length > 0 && opts.all) throw new UsageError('pass either sync names or --all, not both');
      await withContext(opts, async ({ out, project, warehouse }) => {
        let syncs: ReturnType<typeof selectSyncs> = [];
        try {
          syncs = selectSyncs(project, names);
        } catch (error) {
          reportConfigError(out, error);
        }
        if (syncs.length === 0) out.info('No syncs: add one under syncs/.');
        const opened =
          syncs.length > 0
            ? await openOrExplain(
                out,
                project,
                syncs.map((s) => s.name),
                warehouse,
              )
            : undefined;
        let failures = 0;
        const stop = new AbortController();
        const release = onStopSignals(out, (signal) => stop.abort(signal));
        try {
          for (const config of syncs) {
            if (stop.signal.aborted) {
              out.info(`- ${config.name}: not started (stopped by ${String(stop.signal.reason)})`);
              failures++;
              continue;
            }
            const summary = await runOne(out, project, opened as Warehouse, config.name, opts, stop.signal);
            if (summary.status !== 'success') failures++;
          }
        } finally {
          release();
        }
        if (failures > 0) throw new ReportedFailure(1);
      });
    });
}

/** Opens the warehouse; a DuckDB file held by a running sync is reported as "already running". */
async function openOrExplain(
  out: Output,
  project: Project,
  syncs: string[],
  open: () => Promise<Warehouse>,
): Promise<Warehouse> {
  const runningNow = () =>
    syncs.map((name) => readLeaseFile(project.dir, name)).find((info) => info !== undefined);
  const refuse = (running: NonNullable<ReturnType<typeof runningNow>>): never => {
    out.error(
      `✗ sync ${running.sync} is already running (run ${running.run_id}, started ${running.started_at})`,
    );
    out.result({ sync: running.sync, status: 'failed', error: 'already running', run_id: running.run_id });
    throw new ReportedFailure(1);
  };
  // Asked before opening: a DuckDB file held by another weft process is waited for, and waiting
  // for the very run that holds this sync would only end in the same refusal later.
  const before = runningNow();
  if (before) refuse(before);
  try {
    return await open();
  } catch (error) {
    const running = runningNow();
    if (!running) throw error;
    return refuse(running);
  }
}

async function runOne(
  out: Output,
  project: Project,
  warehouse: Warehouse,
  name: string,
  opts: SyncCommandOptions,
  stop: AbortSignal,
): Promise<RunSummary | { status: 'failed' }> {
  const config = project.syncs.find((s) => s.value.name === name)?.value;
  if (!config) throw new Error(`sync ${name} disappeared`);
  let toSend = 0;
  const started = Date.now();
  try {
    const { summary, plan } = await runSync(project, warehouse, config, {
      // Connectors' warnings (e.g. credentials over plain http) reach the user; debug and info do not.
      logger: {
        debug() {},
        info() {},
        warn: (message) => out.warn(`  ! ${name}: ${message}`),
        error: (message) => out.warn(`  ✗ ${name}: ${message}`),
      },
      fullResync: opts.fullResync,
      skipBackfill: opts.skipBackfill,
      allowMassDelete: opts.allowMassDelete,
      stop,
      onPlan: (p) => {
        toSend = p.counts.added + p.counts.changed + p.counts.removed;
      },
      onProgress: (c) => out.progress(progressLine(name, c, toSend, started)),
    });
    const {
      sync: _sync,
      status,
      added,
      changed,
      removed,
      succeeded,
      rejected,
      duration_ms,
      ...rest
    } = summary;
    // Why rows are rejected, one line per rule (values masked), so a run is understood at a glance.
    const reasons = rejected > 0 ? await topRejections(warehouse, project.config.state_schema, name) : [];
    out.result({
      sync: name,
      status,
      added,
      changed,
      removed,
      succeeded,
      rejected,
      duration_ms,
      ...rest,
      ...(reasons.length > 0 ? { rejection_reasons: reasons } : {}),
      // Rows the plan excluded (never sent): NULL or blank keys, keys shared by several rows.
      ...(plan ? { invalid: plan.counts.invalid } : {}),
    });
    printSummary(out, summary, plan?.counts.invalid, reasons);
    if (opts.alert) await alertAbout(out, project, summary);
    return summary;
  } catch (error) {
    if (!isPerSyncError(error)) throw error;
    out.error(`✗ ${error.message}`);
    out.result({
      sync: name,
      status: 'failed',
      added: 0,
      changed: 0,
      removed: 0,
      succeeded: 0,
      rejected: 0,
      duration_ms: Date.now() - started,
      error: error.message,
    });
    return { status: 'failed' };
  }
}

/** `--alert`: sends the run's alert if it is due, and says how delivery went (never fails the command). */
async function alertAbout(out: Output, project: Project, summary: RunSummary): Promise<void> {
  if (!project.config.alerts) {
    out.warn('  ! --alert: weft.yml has no `alerts:` block; no alert sent');
    return;
  }
  const sent = await alertRun(project, summary);
  if (!sent) return;
  const { connection, ok, error } = sent.delivery;
  if (ok) out.info(`  alert sent to ${connection}`);
  else out.warn(`  ! alert NOT delivered to ${connection}: ${error}`);
}

function progressLine(name: string, c: PushCounts, total: number, started: number): string {
  const done = c.succeeded + c.rejected + c.unacknowledged + c.skipped;
  const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
  const width = 20;
  const bar = '█'.repeat(Math.round((pct / 100) * width)).padEnd(width, '░');
  const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  return `  ${name} ${bar} ${pct}%  ${formatCount(done)}/${formatCount(total)}  ${formatCount(c.rejected)} rejected  ${formatCount(rate)} rows/s`;
}

function printSummary(
  out: Output,
  s: RunSummary,
  invalid?: { null_keys: number; duplicate_keys: number },
  reasons: Array<{ reason: string; keys: number }> = [],
): void {
  const mark = s.status === 'success' ? '✓' : '✗';
  if (s.status === 'success' && s.added + s.changed + s.removed === 0) {
    out.info(`${mark} ${s.sync}: no changes (${formatMs(s.duration_ms)})`);
  } else {
    out.info(
      `${mark} ${s.sync}: ${s.status} — ${formatCount(s.added)} added, ${formatCount(s.changed)} changed, ${formatCount(s.removed)} removed; ${formatCount(s.succeeded)} acknowledged, ${formatCount(s.rejected)} rejected${s.unacknowledged ? `, ${formatCount(s.unacknowledged)} not acknowledged (re-sent next run)` : ''} in ${formatMs(s.duration_ms)}`,
    );
  }
  if (invalid && invalid.null_keys + invalid.duplicate_keys > 0) {
    out.info(
      `  ! excluded: ${formatCount(invalid.null_keys)} rows with a NULL or blank key, ${formatCount(invalid.duplicate_keys)} rows with a duplicated key`,
    );
  }
  for (const { reason, keys } of reasons) out.info(`  ${formatCount(keys).padStart(6)} rejected: ${reason}`);
  if (s.rejected > 0) out.info(`  rejections: weft runs ${s.sync}`);
  if (s.error) out.error(`  ${s.error}`);
}

/** Prints a config problem and ends with exit 2; passes anything else through. */
export function reportConfigError(out: Output, error: unknown): never {
  if (error instanceof SyncConfigError) {
    out.error(`✗ ${error.message}`);
    throw new ReportedFailure(2);
  }
  throw error;
}

/** True for errors that concern one sync only (the others still run). */
export function isPerSyncError(error: unknown): error is Error {
  return (
    error instanceof SyncAlreadyRunningError ||
    error instanceof SyncConfigError ||
    error instanceof SyncUnavailableError
  );
}
