/** `weft seed`: generate the deterministic demo population and load it into the warehouse. */
import type { Command } from 'commander';
import { type SeedNoise, seedDemoData } from '../seed/index.js';
import { type GlobalOptions, withContext } from './context.js';
import { UsageError } from './errors.js';
import { formatCount, formatMs, formatTable } from './format.js';
import { parsePositiveInt } from './parse.js';

interface SeedOptions extends GlobalOptions {
  people: number;
  seed: number;
  force?: boolean;
  noise: string;
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description(
      'generate the demo data (shop, CRM, web, support, newsletter, app) and load it into schema raw',
    )
    .option('--people <n>', 'how many people the population has', parsePositiveInt('--people'), 10_000)
    .option('--seed <s>', 'random seed: the same seed gives the same data', parsePositiveInt('--seed', 0), 42)
    .option(
      '--noise <level>',
      "standard, or messy: the harder seed — role mailboxes and desk phones shared by a company's contacts, phones in unassigned exchanges recurring across sources, common names, email typos",
      'standard',
    )
    .option('--force', 'replace tables of the same names even when weft seed did not create them')
    .addHelpText(
      'after',
      `
The true person behind every row goes to schema "truth", which identity models never read,
so identity quality can be measured. The seed writes only tables it created itself: if raw.customers
(or any table it writes) holds your own data, it refuses and names the tables; --force replaces them.

Examples:
  weft seed                      10,000 people, seed 42
  weft seed --people 1000000     a million people (a few minutes)
  weft seed --noise messy        the harder seed identity quality is measured on`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<SeedOptions>();
      if (opts.noise !== 'standard' && opts.noise !== 'messy')
        throw new UsageError(`--noise must be standard or messy, got '${opts.noise}'`);
      await withContext(opts, async ({ out, warehouse }) => {
        out.info(`Seeding ${formatCount(opts.people)} people (seed ${opts.seed}, ${opts.noise} noise)…`);
        const summary = await seedDemoData(await warehouse(), {
          people: opts.people,
          seed: opts.seed,
          noise: opts.noise as SeedNoise,
          onProgress: (p) => out.progress(`  loading ${p.table}: ${formatCount(p.rows)} rows`),
          ...(opts.force ? { force: true } : {}),
        });
        const rows = summary.tables.map((t) => [t.table, t.rows] as Array<string | number>);
        out.info(formatTable(['table', 'rows'], rows));
        const total = summary.tables.reduce((n, t) => n + t.rows, 0);
        out.info(`Loaded ${formatCount(total)} rows in ${formatMs(summary.ms)}.`);
        // Seeding replaces the sources wholesale; incremental models and the identity graph only
        // pick up rows newer than what they hold, so a reseed into a built project needs a full build.
        out.info('Next: `weft build --full-refresh` (the sources were replaced, not appended to).');
        out.result({ people: opts.people, seed: opts.seed, noise: opts.noise, ...summary });
      });
    });
}
