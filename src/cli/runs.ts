/** `weft runs [SYNC]`: sync run history with counts and the top rejection reasons. */
import type { Command } from 'commander';
import { listRuns, topRejections } from '../sync/index.js';
import { didYouMean } from '../util/suggest.js';
import type { Row } from '../warehouse/types.js';
import { type GlobalOptions, withContext } from './context.js';
import { UsageError } from './errors.js';
import { formatMs, formatTable } from './format.js';
import { parsePositiveInt } from './parse.js';

interface RunsOptions extends GlobalOptions {
  limit: number;
}

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString().replace('T', ' ').slice(0, 19) : '-';
const num = (value: unknown) => (value === null || value === undefined ? '-' : Number(value));

export function registerRuns(program: Command): void {
  program
    .command('runs [sync]')
    .description('sync run history: status, counts, errors, and the top rejection reasons')
    .option('--limit <n>', 'how many runs to show', parsePositiveInt('--limit'), 20)
    .addHelpText(
      'after',
      `
Reads <state_schema>.sync_runs and sync_rejections (ordinary tables you can query too).

Examples:
  weft runs
  weft runs hubspot_vip --json`,
    )
    .action(async (sync: string | undefined, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<RunsOptions>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        const wh = await warehouse();
        const state = project.config.state_schema;
        const exists = await wh.query(wh.dialect.relationKindQuery({ schema: state, name: 'sync_runs' }));
        const runs: Row[] = exists.length > 0 ? await listRuns(wh, state, sync, opts.limit) : [];
        for (const run of runs) out.result(jsonRun(run));
        if (runs.length === 0) {
          const names = project.syncs.map((s) => s.value.name);
          // A sync removed from the project keeps its history; one that never existed is a typo.
          if (sync && !names.includes(sync))
            throw new UsageError(
              `no sync named '${sync}'${didYouMean(sync, names)}; syncs: ${names.join(', ') || 'none'}`,
            );
          out.info(sync ? `No runs of ${sync} yet.` : 'No sync runs yet: try `weft sync --all`.');
          return;
        }
        out.info(
          formatTable(
            ['run', 'sync', 'status', 'started', 'time', 'added', 'changed', 'removed', 'ok', 'rejected'],
            runs.map((r) => [
              String(r.run_id),
              String(r.sync),
              String(r.status),
              iso(r.started_at),
              r.duration_ms === null ? '-' : formatMs(Number(r.duration_ms)),
              num(r.added),
              num(r.changed),
              num(r.removed),
              num(r.succeeded),
              num(r.rejected),
            ]),
          ),
        );
        for (const run of runs.filter((r) => r.error)) out.info(`  ${run.run_id}: ${run.error}`);
        const names = [...new Set(runs.map((r) => String(r.sync)))];
        for (const name of names) {
          const top = await topRejections(wh, state, name);
          if (top.length === 0) continue;
          out.info(`\nTop rejection reasons for ${name} (rows currently rejected):`);
          for (const { reason, keys } of top) out.info(`  ${String(keys).padStart(6)}  ${reason}`);
        }
      });
    });
}

function jsonRun(run: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(run)) {
    out[name] =
      value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? Number(value) : value;
  }
  return out;
}
