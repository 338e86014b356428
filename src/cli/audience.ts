/** `weft audience list|preview`: the project's audiences, their sizes, samples and overlaps. */
import type { Command } from 'commander';
import {
  type AudienceListing,
  AudienceNotBuiltError,
  type AudiencePreview,
  listAudiences,
  previewAudience,
  UnknownAudienceError,
} from '../audiences/inspect/index.js';
import { displayValue, jsonValue } from '../profiles/lookup/json-value.js';
import { type GlobalOptions, withContext } from './context.js';
import { ReportedFailure, UsageError } from './errors.js';
import { formatCount, formatTable } from './format.js';
import type { Output } from './output.js';
import { parsePositiveInt } from './parse.js';

interface PreviewOptions extends GlobalOptions {
  limit: number;
}

const when = (value: Date | null) => (value ? displayValue(value) : '-');
const cell = (value: unknown) => {
  const text = displayValue(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

export function registerAudience(program: Command): void {
  const audience = program
    .command('audience')
    .description('inspect audiences (models/audiences/*.yml): sizes, samples, overlaps');
  audience
    .command('list')
    .description('every audience with its size and last change at the last build')
    .addHelpText(
      'after',
      `
Sizes come from <state_schema>.audience_state, written by \`weft build\`; "last change" is
the build at which the audience's members last changed (not merely its last build).

Examples:
  weft audience list
  weft audience list --json    # one object per audience`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        const listed = await listAudiences(await warehouse(), project);
        for (const a of listed) out.result(jsonValue(a));
        printList(out, listed);
      });
    });
  audience
    .command('preview')
    .description('an audience: its size, a sample of members, and its overlap with every other audience')
    .argument('<name>', 'the audience name (its `name:` in models/audiences/*.yml)')
    .option('--limit <n>', 'how many sample rows to show', parsePositiveInt('--limit', 0), 10)
    .addHelpText(
      'after',
      `
Reads <schema>.audience_members, the members every audience had at the last \`weft build\`
(run it first): the size, the split arms and the overlap with every other built audience come
from one query over that table; the sample (ordered by profile id) from a second. Without
\`as_of\` in weft.yml the views audience_<name> stay live, so they may differ from the preview
once the data moved on; the preview names the build it reflects. Before a build has written
audience_members, the preview evaluates the views instead (slower).

Examples:
  weft audience preview high_value_recent
  weft audience preview cart_abandoners --limit 3
  weft audience preview win_back --json`,
    )
    .action(async (name: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<PreviewOptions>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        const preview = await previewAudience(await warehouse(), project, name, { limit: opts.limit }).catch(
          (error: unknown) => {
            if (error instanceof UnknownAudienceError) throw new UsageError(error.message);
            if (error instanceof AudienceNotBuiltError) {
              out.error(`✗ ${error.message}`);
              out.result({ error: 'not_built', audience: name, message: error.message });
              throw new ReportedFailure(1);
            }
            throw error;
          },
        );
        out.result({
          name: preview.name,
          description: preview.description ?? null,
          size: preview.size,
          arms: preview.arms,
          columns: preview.columns,
          sample: jsonValue(preview.sample),
          overlaps: preview.overlaps,
          not_built: preview.notBuilt,
          source: preview.source,
          built_at: preview.builtAt ? jsonValue(preview.builtAt) : null,
        });
        printPreview(out, preview);
      });
    });
}

function printList(out: Output, listed: AudienceListing[]): void {
  if (listed.length === 0) {
    out.info('No audiences yet: add models/audiences/<name>.yml (see README "Audiences").');
    return;
  }
  out.info(
    formatTable(
      ['audience', 'size', 'last change', 'description'],
      listed.map((a) => [a.name, a.size ?? '-', when(a.changed_at), a.description ?? '']),
    ),
  );
  if (listed.some((a) => a.size === null)) out.info('\n(- = not built yet: run `weft build`)');
}

function printPreview(out: Output, p: AudiencePreview): void {
  out.info(`audience ${p.name}${p.description ? ` — ${p.description}` : ''}`);
  const arms = p.arms.map((a) => `${a.arm} ${formatCount(a.size)}`).join(', ');
  out.info(`size ${formatCount(p.size)}${arms ? ` (${arms})` : ''}`);
  out.info(
    p.source === 'members'
      ? `as of the build at ${when(p.builtAt)} (audience_members; rebuild to refresh)`
      : 'read from the views (audience_members not built yet: run `weft build` for faster previews)',
  );
  out.info(`\nsample (${p.sample.length} of ${formatCount(p.size)})`);
  if (p.sample.length > 0) {
    const table = formatTable(
      p.columns,
      p.sample.map((row) => p.columns.map((c) => cell(row[c]))),
    );
    for (const line of table.split('\n')) out.info(`  ${line}`);
  }
  out.info('\noverlap with other audiences');
  if (p.overlaps.length === 0) out.info('  (no other built audiences)');
  else {
    const share = (n: number) => (p.size === 0 ? '-' : `${((100 * n) / p.size).toFixed(1)}%`);
    const table = formatTable(
      ['audience', 'size', 'in both', `% of ${p.name}`],
      p.overlaps.map((o) => [o.audience, o.size, o.overlap, share(o.overlap)]),
    );
    for (const line of table.split('\n')) out.info(`  ${line}`);
  }
  if (p.notBuilt.length > 0) out.info(`\nnot built yet (run \`weft build\`): ${p.notBuilt.join(', ')}`);
}
