/** `weft identity explain A B`: the evidence path linking two identifiers, or why none does. */
import type { Command } from 'commander';
import { reviewProfiles } from '../identity/review.js';
import {
  buildNormalizer,
  type EvidenceHop,
  type ExplainResult,
  explainLink,
  IdentifierInputError,
} from '../identity-quality/explain/index.js';
import { type GlobalOptions, withContext } from './context.js';
import { UsageError } from './errors.js';

interface ExplainCliOptions extends GlobalOptions {
  maxHops?: string;
}

/** What each endpoint flag means, in words. */
const FLAG_TEXT: Record<string, string> = {
  phone_not_strictly_valid:
    'a possible number outside its numbering plan (e.g. an exchange starting with 0 or 1): kept as an identifier, flagged',
};

const day = (ts: string | null) => (ts ? ts.slice(0, 10) : '?');

function hopLine(hop: EvidenceHop, index: number): string {
  const seen =
    hop.first_seen_at === hop.last_seen_at
      ? day(hop.first_seen_at)
      : `${day(hop.first_seen_at)} → ${day(hop.last_seen_at)}`;
  const rows = `${hop.row_count} row${hop.row_count === 1 ? '' : 's'}`;
  const unused = hop.used_for_merge ? '' : `   ✗ not used: ${hop.unused_reason ?? 'unused'}`;
  return `  ${index + 1}. ${hop.from.type}:${hop.from.value} — ${hop.to.type}:${hop.to.value}\n     ${hop.source} row ${hop.row_key}, seen ${seen}, ${rows}${unused}`;
}

function printHuman(result: ExplainResult, info: (line?: string) => void): void {
  const name = (e: ExplainResult['a']) => `${e.type}:${e.value ?? e.input.slice(e.type.length + 1)}`;
  info(`${result.linked ? '✓' : '✗'} ${name(result.a)} and ${name(result.b)}: ${result.message}`);
  for (const e of [result.a, result.b]) {
    for (const flag of e.flags ?? []) info(`  ! ${name(e)}: ${FLAG_TEXT[flag] ?? flag}`);
  }
  for (const [index, hop] of result.path.entries()) info(hopLine(hop, index));
}

export function registerIdentity(program: Command): void {
  const identity = program.command('identity').description('inspect the identity graph');
  identity
    .command('explain')
    .description('show the shortest evidence path linking two identifiers, or why they are not linked')
    .argument('<a>', 'an identifier, TYPE:VALUE (e.g. email:Ann@Example.com), normalized as the build does')
    .argument('<b>', 'another identifier, TYPE:VALUE')
    .option('--max-hops <n>', 'longest path to look for', '12')
    .addHelpText(
      'after',
      `
Reads identity_map, identity_edges and identity_occurrences written by \`weft build\`.
"Not linked" says why: an identifier never seen, a value blocked / junk / invalid, an edge
not used for merging (a hub, a shared value, or a max_per_profile limit), or no evidence
at all. A shared value (a role mailbox, a desk line) is attached to each profile seen with it;
a row carrying nothing else is in no person's profile.

Examples:
  weft identity explain email:ann@example.com phone:+14155550100
  weft identity explain user_id:100231 anonymous_id:5f0c… --json`,
    )
    .action(async (a: string, b: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ExplainCliOptions>();
      const maxHops = Number(opts.maxHops ?? 12);
      if (!Number.isInteger(maxHops) || maxHops < 1)
        throw new UsageError('--max-hops must be a positive integer');
      await withContext(opts, async ({ out, project, warehouse }) => {
        if (!project.identity) throw new UsageError('the project has no models/identity.yml');
        const wh = await warehouse();
        const normalize = buildNormalizer(wh, project);
        let result: ExplainResult;
        try {
          result = await explainLink(wh, project, a, b, { normalize, maxHops });
        } catch (error) {
          if (error instanceof IdentifierInputError) throw new UsageError(error.message);
          throw error;
        }
        out.result(result);
        if (!out.json) printHuman(result, (line) => out.info(line));
      });
    });
  identity
    .command('review')
    .description('list the riskiest profiles with their evidence, to inspect before syncing')
    .option('--limit <n>', 'how many profiles to list', '20')
    .addHelpText(
      'after',
      `
Lists profiles with several distinct names on their rows (sources with \`names:\` in
identity.yml), shared values attached (identity_shared: role mailboxes, desk phones), edges a
max_per_profile limit cut, or more identifiers than giant_component_size (default 10): most
names first, then the largest. Each comes with its identifiers, names and shared values: a
profile with two names and a shared desk phone nearby is where a wrong merge would hide.

Examples:
  weft identity review
  weft identity review --limit 50 --json`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions & { limit?: string }>();
      const limit = Number(opts.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
      await withContext(opts, async ({ out, project, warehouse }) => {
        if (!project.identity) throw new UsageError('the project has no models/identity.yml');
        const profiles = await reviewProfiles(project, await warehouse(), limit);
        out.result({ profiles });
        if (out.json) return;
        if (profiles.length === 0)
          out.info('No risky profiles: no profile has several names, shared values or cut edges.');
        for (const p of profiles) {
          out.info(
            `${p.profile_id}: ${p.identifiers} identifiers, ${p.names} names, ${p.shared} shared values, ${p.limit_cuts} edges cut by limits`,
          );
          out.info(`  identifiers: ${p.sample_identifiers.join(', ')}`);
          if (p.sample_names.length > 0) out.info(`  names: ${p.sample_names.join(', ')}`);
          if (p.shared_values.length > 0) out.info(`  shared: ${p.shared_values.join(', ')}`);
        }
      });
    });
}
