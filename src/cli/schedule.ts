/** `weft schedule [SYNC…] [--once]`: run syncs on their cron `schedule`, building what they read first. */
import type { Command } from 'commander';
import type { Project } from '../config/types.js';
import {
  DEFAULT_CONCURRENCY,
  ScheduleConfigError,
  type ScheduledRun,
  type ScheduleEvent,
  Scheduler,
} from '../schedule/index.js';
import { hasLoads } from '../schedule/loads.js';
import { hasPrivacySchedule } from '../schedule/privacy.js';
import { openWarehouse } from '../warehouse/registry.js';
import { type GlobalOptions, withContext } from './context.js';
import { ReportedFailure, UsageError } from './errors.js';
import { formatCount, formatMs } from './format.js';
import type { Output } from './output.js';
import { onStopSignals } from './signals.js';

interface ScheduleCommandOptions extends GlobalOptions {
  once?: boolean;
  concurrency?: string;
  alerts?: boolean;
  at?: string;
}

export function registerSchedule(program: Command): void {
  program
    .command('schedule [syncs...]')
    .description('run syncs on their cron `schedule`, building what each reads first (long-running)')
    .option('--once', 'run what is due now, wait for it, and exit (for cron or CI)')
    .option('--concurrency <n>', 'syncs running at the same time', String(DEFAULT_CONCURRENCY))
    .option('--no-alerts', 'do not send alerts, even when weft.yml configures them')
    .option('--at <time>', 'with --once: decide what is due as of this UTC time (ISO 8601) instead of now')
    .addHelpText(
      'after',
      `
Only syncs with a \`schedule:\` in their file run (name some to run only those). Cron
expressions are read in UTC, 5 fields (minute hour day month weekday) or 6 (seconds first):
  schedule: "*/15 * * * *"    every 15 minutes
  schedule: "0 * * * *"       every hour, on the hour
  schedule: "30 6 * * 1-5"    06:30 UTC on weekdays
  schedule: "@daily"          once a day at midnight UTC

Before a due sync runs, the models, identity, profiles and audiences it reads are rebuilt if
they changed since their last build (a model: its SQL or its inputs; a source table: its rows).
Syncs due together share one build; if it fails, those syncs fail without sending anything.
A sync never runs alongside itself; different syncs run in parallel (--concurrency), sharing
each destination account's rate limit and daily quota.

State lives in the warehouse (<state_schema>.schedule_state and build_state), so a restart
knows what already ran: a sync that never ran is due at once, and slots missed while the
scheduler was down run once (not once per missed slot). Project files are read at start:
restart the scheduler after changing them.

SIGTERM / Ctrl-C: no new runs start, running syncs finish their in-flight batches and end
partial, then weft exits 0; their slot stays due and the next start sends the rest. A second
signal exits at once (a hard kill loses nothing either: see the delivery contract).

--once runs what is due now and exits: 0 when every run succeeded, 1 otherwise; call it from
cron or CI instead of keeping a process alive. --at TIME (with --once) decides what is due as
if it were TIME: replay a slot, check a new schedule, or pin the clock in a test. weft.yml \`alerts:\` sends failed and partial runs
to a webhook or Slack connection. One line per event goes to stderr; --json prints one line
per run on stdout, shaped like \`weft sync --json\`.

Examples:
  weft schedule
  weft schedule --once --json
  weft schedule hubspot_vip --once
  weft schedule --once --at 2026-12-07T09:00:00Z`,
    )
    .action(async (names: string[], _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ScheduleCommandOptions>();
      const concurrency = Number(opts.concurrency ?? DEFAULT_CONCURRENCY);
      if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new UsageError('--concurrency must be a whole number of at least 1');
      const at = parseAt(opts.at, opts.once === true);
      await withContext(opts, async ({ out, project }) => {
        const scheduler = createScheduler(out, project, names, concurrency, opts.alerts !== false, at);
        if (scheduler.syncs.length === 0 && !hasLoads(project) && !hasPrivacySchedule(project)) {
          out.warn('No scheduled syncs: add `schedule: "0 * * * *"` to a file in syncs/.');
          return;
        }
        const release = onStopSignals(
          out,
          (signal) => scheduler.stop(signal),
          (line) => `${stamp()} ${line}`,
        );
        let runs: ScheduledRun[] = [];
        try {
          if (opts.once) {
            runs = await scheduler.runDue();
            if (runs.length === 0) out.note(`${stamp()} nothing due`);
          } else {
            out.note(`${stamp()} scheduling ${scheduler.syncs.map((s) => s.config.name).join(', ')}`);
            await scheduler.runUntilStopped();
          }
        } finally {
          await scheduler.close();
          release();
        }
        if (opts.once && runs.some((r) => r.summary.status !== 'success')) throw new ReportedFailure(1);
      });
    });
}

/** `--at`: an ISO 8601 time with a zone, only beside --once (a long-running scheduler waits in real time). */
function parseAt(value: string | undefined, once: boolean): Date | undefined {
  if (value === undefined) return undefined;
  if (!once) throw new UsageError('--at needs --once (a running scheduler keeps the real clock)');
  const at = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()))
    throw new UsageError(
      `--at must be an ISO 8601 time with a zone, e.g. 2026-12-07T09:00:00Z (got "${value}")`,
    );
  return at;
}

function createScheduler(
  out: Output,
  project: Project,
  names: string[],
  concurrency: number,
  alerts: boolean,
  at: Date | undefined,
): Scheduler {
  try {
    return new Scheduler({
      project,
      names,
      concurrency,
      alerts,
      ...(at ? { now: () => at } : {}),
      openWarehouse: () => openWarehouse(project.config.warehouse, { projectDir: project.dir }),
      onEvent: (event) => report(out, event),
    });
  } catch (error) {
    if (!(error instanceof ScheduleConfigError)) throw error;
    out.error(`✗ ${error.message}`);
    throw new ReportedFailure(2);
  }
}

/**
 * One stderr line per event; with --json, one stdout line per finished run and a `{"warning"}`
 * line per problem that does not stop the scheduler (an error, a failed load, an undelivered alert).
 */
function report(out: Output, event: ScheduleEvent): void {
  if (event.type === 'finished') {
    const { sync, status, added, changed, removed, succeeded, rejected, duration_ms, ...rest } =
      event.run.summary;
    out.result({ sync, status, added, changed, removed, succeeded, rejected, duration_ms, ...rest });
  }
  const problem =
    event.type === 'error' ||
    event.type === 'load_failed' ||
    event.type === 'privacy_failed' ||
    (event.type === 'alert' && !event.delivery.ok);
  for (const text of eventLines(event)) (problem ? out.warn : out.note)(`${stamp()} ${text}`);
}

/** The human lines of an event. */
function eventLines(event: ScheduleEvent): string[] {
  switch (event.type) {
    case 'due':
      return [`due      ${event.sync} (${event.why}, slot ${event.slot.toISOString()})`];
    case 'skipped':
      return [`skipped  ${event.sync}: ${event.reason}`];
    case 'building':
      return [`building ${event.nodes.join(', ')} (for ${event.syncs.join(', ')})`];
    case 'built': {
      const failed = event.failed.length ? `; failed: ${event.failed.join(', ')}` : '';
      return [`built    ${event.built.length} in ${formatMs(event.ms)}${failed}`];
    }
    case 'started':
      return [`started  ${event.sync}`];
    case 'finished': {
      const s = event.run.summary;
      const stopped = event.run.stopped ? ' (stopped; resumes at next start)' : '';
      const unacked = s.unacknowledged ? `, ${formatCount(s.unacknowledged)} not acknowledged` : '';
      return [
        `finished ${s.sync}: ${s.status}${stopped} — ${formatCount(s.added)} added, ${formatCount(s.changed)} changed, ${formatCount(s.removed)} removed; ${formatCount(s.succeeded)} acknowledged, ${formatCount(s.rejected)} rejected${unacked} in ${formatMs(s.duration_ms)} (run ${s.run_id})`,
        ...(s.error ? [`         ${s.error}`] : []),
      ];
    }
    case 'alert':
      return [
        event.delivery.ok
          ? `alert    sent to ${event.delivery.connection} for ${event.sync} (run ${event.run_id})`
          : `alert    for ${event.sync} NOT delivered to ${event.delivery.connection}: ${event.delivery.error}`,
      ];
    case 'idle':
      return [`idle     next slot ${event.next ? event.next.toISOString() : 'none'}`];
    case 'stopping':
      return [`stopping (${event.reason}): no new runs`];
    case 'error':
      return [`error    ${event.message}`];
    case 'loaded': {
      const s = event.summary;
      const cursor = s.cursor !== undefined ? `; cursor ${s.cursor}` : '';
      return [
        `loaded   ${event.load}: ${formatCount(s.rows_loaded)} rows into ${s.into} (${s.mode}) in ${formatMs(s.ms)}${cursor}`,
      ];
    }
    case 'load_failed':
      return [`load failed ${event.load}: ${event.message}`];
    case 'privacy':
      return [
        `privacy  ${event.steps} pending step(s) worked, ${event.erased} record(s) erased in ${formatMs(event.ms)}`,
      ];
    case 'privacy_failed':
      return [`privacy failed: ${event.message}`];
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
