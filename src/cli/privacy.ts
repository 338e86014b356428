/** `weft privacy delete|run|status|export`: erasure requests, their ledger and deadlines, access exports. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { relationKind } from '../build/relations.js';
import type { Project } from '../config/types.js';
import { notifyStatusChanges } from '../privacy/callbacks.js';
import { exportPerson } from '../privacy/export.js';
import { inboundTable } from '../privacy/inbound.js';
import { createErasureRequests, type RunReport, runPendingSteps } from '../privacy/requests.js';
import { privacyStatus, type RequestStatusView } from '../privacy/status.js';
import { SubjectError } from '../privacy/subject.js';
import { openWarehouse } from '../warehouse/registry.js';
import type { Warehouse } from '../warehouse/types.js';
import { type GlobalOptions, withContext } from './context.js';
import { ReportedFailure, UsageError } from './errors.js';
import { formatTable } from './format.js';
import type { Output } from './output.js';

interface DeleteOptions extends GlobalOptions {
  file?: string;
  regulation?: string;
  queueOnly?: boolean;
}

/** People from a file: one per line, identifiers separated by commas or tabs (a phone may hold spaces); # comments. */
export function peopleFromFile(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((line) =>
      line
        .split(/[,\t]/)
        .map((id) => id.trim())
        .filter(Boolean),
    );
}

const usage = (error: unknown): never => {
  throw error instanceof SubjectError ? new UsageError(error.message) : error;
};

export function registerPrivacy(program: Command): void {
  const privacy = program
    .command('privacy')
    .description('privacy requests: erase a person everywhere weft sent them, export what weft holds');

  privacy
    .command('delete')
    .description('file an erasure request: suppress the person now, then erase them in every destination')
    .argument(
      '[identifiers...]',
      "one person's identifiers: type:value (e.g. email:ann@x.com) or a profile id",
    )
    .option('--file <path>', 'many people: one per line, their identifiers separated by commas')
    .option(
      '--regulation <name>',
      'gdpr or ccpa (sets the deadline; default: weft.yml privacy.regulation, else gdpr)',
    )
    .option('--queue-only', 'file and suppress, but leave the erasure to `weft privacy run`')
    .addHelpText(
      'after',
      `
At once, every identifier weft knows for the person (their profile's identifiers, every raw
spelling the sources hold, the profile id) goes into <state_schema>.suppressions as a SHA-256
hash, never in clear: builds drop them from identity, profiles and audiences, and no sync sends
them again, even while a source still holds them. Then each destination whose snapshot shows it
acknowledged them gets the vendor's deletion (HubSpot GDPR delete, Salesforce delete, Mailchimp
permanent delete, Klaviyo deletion job, Braze /users/delete, Google Ads and Meta list removal,
webhook delete ops), weft's own tables are cleaned, and sources.yml privacy.delete statements
run. Every step is in <state_schema>.privacy_steps; failures are retried by \`weft privacy run\`.
A destination that cannot delete is reported, and the others still complete.

Examples:
  weft privacy delete email:ann@example.com phone:+14155552671
  weft privacy delete --file requests.txt --regulation ccpa --json`,
    )
    .action(async (identifiers: string[], _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<DeleteOptions>();
      const people = opts.file ? peopleFromFile(readFileSync(path.resolve(opts.file), 'utf8')) : [];
      if (identifiers.length > 0) people.push(identifiers);
      if (people.length === 0) throw new UsageError('name the person (type:value …) or give --file');
      if (opts.regulation !== undefined && !['gdpr', 'ccpa'].includes(opts.regulation))
        throw new UsageError(`--regulation must be gdpr or ccpa, not '${opts.regulation}'`);
      await withContext(opts, async ({ out, project, warehouse }) => {
        const wh = await warehouse();
        const filed = await createErasureRequests(project, wh, people, {
          ...(opts.regulation && { regulation: opts.regulation as 'gdpr' | 'ccpa' }),
        }).catch(usage);
        for (const f of filed) {
          out.info(
            `filed ${f.request_id} (${f.regulation}, due ${f.due_at.toISOString().slice(0, 10)}): ${f.identifiers} identifier hash(es) suppressed${f.profile_found ? '' : ', no profile found (the typed identifiers are suppressed)'}`,
          );
        }
        if (!opts.queueOnly)
          printRun(out, await runPendingSteps(project, wh, { openWarehouse: another(project) }));
        const statusOptions = { now: new Date(), warnDays: project.config.privacy?.warn_days ?? 7 };
        // A few requests: each with its ledger; a big file: the request rows alone.
        const filedIds = new Set(filed.map((f) => f.request_id));
        let mine: RequestStatusView[] = [];
        if (filed.length <= 20) {
          for (const f of filed)
            mine.push(
              ...(await privacyStatus(wh, project.config.state_schema, {
                ...statusOptions,
                requestId: f.request_id,
              })),
            );
        } else {
          const all = await privacyStatus(wh, project.config.state_schema, statusOptions);
          mine = all.filter((v) => filedIds.has(v.request_id));
        }
        if (filed.length <= 20) for (const view of mine) printRequest(out, view);
        for (const view of mine) out.result(view);
        if (mine.some((v) => v.status === 'open')) {
          out.error('some steps are still pending: `weft privacy run` retries them');
          throw new ReportedFailure(1);
        }
      });
    });

  privacy
    .command('run')
    .description('retry every pending step of every open request (run it after a failure, or on a schedule)')
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        const wh = await warehouse();
        const report = await runPendingSteps(project, wh, { openWarehouse: another(project) });
        printRun(out, report);
        // Requests filed through weft serve's API: tell their callback URLs what changed.
        if (await relationKind(wh, inboundTable(project.config.state_schema))) {
          const told = await notifyStatusChanges(project, wh, { say: (line) => out.warn(line) });
          if (told.delivered + told.failed > 0)
            out.info(`  status callbacks: ${told.delivered} delivered, ${told.failed} failed (retried)`);
        }
        out.result(report);
      });
    });

  privacy
    .command('status')
    .description('requests, their steps per system, and their legal deadlines')
    .argument('[request_id]', 'one request, with its ledger')
    .addHelpText(
      'after',
      `
Deadlines run from receipt: GDPR 30 days, CCPA 45 (weft.yml privacy.deadlines). An open request
due within privacy.warn_days (default 7) is flagged due_soon, a late one overdue; either makes
the command exit 1, so a scheduled \`weft privacy status\` alerts before a deadline is missed.`,
    )
    .action(async (requestId: string | undefined, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        const views = await privacyStatus(await warehouse(), project.config.state_schema, {
          ...(requestId && { requestId }),
          now: new Date(),
          warnDays: project.config.privacy?.warn_days ?? 7,
        });
        if (requestId && views.length === 0) throw new UsageError(`no privacy request '${requestId}'`);
        if (requestId) for (const view of views) printRequest(out, view);
        else if (views.length === 0) out.info('no privacy requests');
        else
          out.info(
            formatTable(
              ['request', 'regulation', 'status', 'received', 'due', 'days left', 'deadline'],
              views.map((v) => [
                v.request_id,
                v.regulation,
                v.status,
                v.received_at.slice(0, 10),
                v.due_at.slice(0, 10),
                String(v.days_left),
                v.deadline ?? '-',
              ]),
            ),
          );
        for (const view of views) out.result(view);
        if (views.some((v) => v.deadline !== null)) {
          out.error(`${views.filter((v) => v.deadline !== null).length} open request(s) overdue or due soon`);
          throw new ReportedFailure(1);
        }
      });
    });

  privacy
    .command('export')
    .description('everything weft holds or sent about one person (access / portability)')
    .argument('<identifier>', 'type:value or a profile id')
    .option('--out <file>', 'write the JSON export to this file')
    .action(async (identifier: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions & { out?: string }>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        const data = await exportPerson(project, await warehouse(), identifier).catch(usage);
        if (opts.out) writeFileSync(path.resolve(opts.out), `${JSON.stringify(data, null, 2)}\n`);
        if (data.suppressed_by.length > 0) {
          out.info(
            `suppressed by ${data.suppressed_by.join(', ')}: weft holds nothing else about this person`,
          );
        } else {
          out.info(`profile ${data.profile_id ?? '(none found)'}`);
          const ids =
            (data.sections.identifiers as
              | Array<{ type: string; value: string; sources: string[] }>
              | undefined) ?? [];
          out.info(`identifiers: ${ids.length}`);
          for (const id of ids) out.info(`  ${id.type} ${id.value}  (${id.sources.join(', ') || '-'})`);
          out.info(
            `source rows: ${data.source_rows.map((s) => `${s.source} ${s.rows}`).join(', ') || 'none'}`,
          );
          out.info(
            `collected events: ${data.events.map((e) => `${e.table} ${e.rows}`).join(', ') || 'none'}`,
          );
          out.info(`sent to:`);
          for (const d of data.destinations)
            out.info(`  ${d.sync} → ${d.connection} (${d.type}) last acknowledged ${d.synced_at ?? '-'}`);
          if (data.destinations.length === 0) out.info('  nowhere');
        }
        if (opts.out) out.info(`written to ${opts.out}`);
        out.result(data);
      });
    });
}

/** Opens one more connection to the project's warehouse (erasures run side by side). */
function another(project: Project): () => Promise<Warehouse> {
  return () => openWarehouse(project.config.warehouse, { projectDir: project.dir });
}

function printRun(out: Output, report: RunReport): void {
  for (const e of report.erasures) {
    out.info(`  ${e.sync}: ${e.acknowledged}/${e.records} erased in ${e.requests} request(s)`);
  }
}

function printRequest(out: Output, view: RequestStatusView): void {
  out.info(
    `${view.request_id}  ${view.status}  ${view.regulation} due ${view.due_at.slice(0, 10)} (${view.days_left} days left)`,
  );
  out.info(
    formatTable(
      ['step', 'system', 'action', 'status', 'records', 'attempts', 'acknowledged', 'note'],
      (view.steps ?? []).map((s) => [
        s.step,
        s.system,
        s.action,
        s.status,
        String(s.records),
        String(s.attempts),
        s.acknowledged_at ?? '-',
        s.last_error ?? s.response_id ?? '',
      ]),
    )
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
}
