/** `weft plan [SYNC…]`: what each sync would send, computed in the warehouse, nothing pushed. */
import type { Command } from 'commander';
import { describeFailedTests, failedDbtTestsOf } from '../dbt/gate.js';
import { type PlanPreview, previewSync, SyncConfigError, selectSyncs } from '../sync/index.js';
import { type GlobalOptions, withContext } from './context.js';
import { ReportedFailure } from './errors.js';
import { formatBytes, formatCount, formatMs } from './format.js';
import type { Output } from './output.js';
import { reportConfigError } from './sync.js';

interface PlanCommandOptions extends GlobalOptions {
  fullResync?: boolean;
  allowMassDelete?: boolean;
  samples: number;
}

export function registerPlan(program: Command): void {
  program
    .command('plan [syncs...]')
    .description('diff each sync against what was delivered, in the warehouse, without sending anything')
    .option('--full-resync', 'plan as if nothing had been delivered yet')
    .option('--allow-mass-delete', 'do not fail when a guardrail would stop the sync')
    .option(
      '--samples <n>',
      'sample rows per change kind',
      (v) => Math.max(0, Number.parseInt(v, 10) || 0),
      3,
    )
    .addHelpText(
      'after',
      `
Counts rows added, changed, removed and unchanged since the last acknowledged delivery, and
rows excluded for a NULL, blank or duplicated key (every row of a duplicated key is excluded).
Every sync is planned even when another one is broken; a broken one prints {"sync","error"}.
Rows holding a date JavaScript cannot hold (DATE 'infinity', a year past 275760) are counted
and warned about ("unreadable_values": {"rows","columns","reason"}): a sync rejects each such
row with the reason and sends the others.
Exit codes: 0 ok; 1 when a guardrail trips (e.g. a mirror sync would delete more than
guardrails.max_delete_pct of its records, default 50%, or its source is empty) or a sync could
not be planned; 2 bad config (an unknown sync, a sync whose config is wrong). More than
guardrails.max_duplicate_pct of the source rows (default 20%) sharing a key is warned about,
and makes a sync end partial.
Made for CI on pull requests: --json prints one line per sync:
  {"sync","added","changed","removed","unchanged","invalid":{"null_keys","duplicate_keys"},"guardrail":{…}}

Examples:
  weft plan
  weft plan hubspot_vip --json`,
    )
    .action(async (names: string[], _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<PlanCommandOptions>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        let tripped = 0;
        let configErrors = 0;
        let failures = 0;
        let syncs: ReturnType<typeof selectSyncs> = [];
        try {
          syncs = selectSyncs(project, names);
        } catch (error) {
          reportConfigError(out, error);
        }
        if (syncs.length === 0) out.info('No syncs: add one under syncs/.');
        // A broken sync is reported and the others are still planned: CI sees every problem at once.
        for (const config of syncs) {
          out.progress(`  planning ${config.name}…`);
          let plan: PlanPreview;
          try {
            plan = await previewSync(project, await warehouse(), config, {
              fullResync: opts.fullResync,
              allowMassDelete: opts.allowMassDelete,
              samples: opts.samples,
            });
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (error instanceof SyncConfigError) configErrors++;
            else failures++;
            out.result({ sync: config.name, error: message });
            out.error(`✗ ${config.name}: ${message}`);
            out.info();
            continue;
          }
          if (plan.guardrail.tripped) tripped++;
          const dbtTests = await failedDbtTestsOf(project, config);
          const { added, changed, removed, unchanged, invalid } = plan.counts;
          out.result({
            sync: config.name,
            added,
            changed,
            removed,
            unchanged,
            invalid,
            ...(plan.counts.held_back_by_consent !== undefined && {
              held_back_by_consent: plan.counts.held_back_by_consent,
            }),
            mode: config.mode,
            guardrail: plan.guardrail,
            ...(plan.estimate ? { estimated_bytes_processed: plan.estimate.bytesProcessed } : {}),
            ...(plan.unreadable ? { unreadable_values: plan.unreadable } : {}),
            ...(dbtTests.length > 0 ? { dbt_tests_failed: dbtTests } : {}),
          });
          if (dbtTests.length > 0)
            out.note(`  ! ${config.name}: weft sync will not run it: ${describeFailedTests(dbtTests)}`);
          printPlan(out, config.name, `${config.mode} ${config.from} → ${config.connection}`, plan);
        }
        if (configErrors > 0) throw new ReportedFailure(2);
        if (tripped > 0 || failures > 0) throw new ReportedFailure(1);
      });
    });
}

function printPlan(out: Output, name: string, what: string, plan: PlanPreview): void {
  const { added, changed, removed, unchanged, invalid } = plan.counts;
  out.info(`${name}  (${what})  planned in ${formatMs(plan.ms)}`);
  out.info(
    `  ${formatCount(added)} added · ${formatCount(changed)} changed · ${formatCount(removed)} removed · ${formatCount(unchanged)} unchanged`,
  );
  if (plan.estimate)
    out.info(
      `  the diff scanned ${formatBytes(plan.estimate.bytesProcessed)} (dry-run estimate; on-demand pricing bills scanned bytes)`,
    );
  if (invalid.null_keys > 0)
    out.info(`  ! ${formatCount(invalid.null_keys)} rows with a NULL or blank key excluded`);
  if (invalid.duplicate_keys > 0)
    out.info(`  ! ${formatCount(invalid.duplicate_keys)} rows sharing a key with another row excluded`);
  if (plan.counts.held_back_by_consent)
    out.info(
      `  ${formatCount(plan.counts.held_back_by_consent)} held back by consent (a purpose not granted)`,
    );
  if (plan.unreadable) {
    const where = Object.entries(plan.unreadable.columns)
      .map(([column, count]) => `${column}: ${formatCount(count)}`)
      .join(', ');
    out.info(
      `  ! ${formatCount(plan.unreadable.rows)} rows hold ${plan.unreadable.reason} (${where}): sync rejects each with the reason and sends the others`,
    );
  }
  for (const [kind, rows] of Object.entries(plan.samples)) {
    out.info(`  sample ${kind.replace('_', ' ')}:`);
    for (const row of rows)
      out.info(`    ${JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  }
  if (plan.guardrail.tripped) out.error(`  ✗ guardrail: ${plan.guardrail.reason}`);
  else if (plan.guardrail.overridden) out.info(`  ! guardrail overridden: ${plan.guardrail.reason}`);
  if (plan.guardrail.duplicates)
    out.info(`  ! guardrail: ${plan.guardrail.duplicates} (a sync ends partial)`);
  out.info();
}
