/** `weft profile IDENTIFIER`: one unified profile — its identifiers by type and source, its traits. */
import type { Command } from 'commander';
import { lookupProfile, ProfileQueryError } from '../profiles/lookup/index.js';
import { type GlobalOptions, withContext } from './context.js';
import { ReportedFailure, UsageError } from './errors.js';

export function registerProfile(program: Command): void {
  program
    .command('profile')
    .description('show one profile: its identifiers by type and source, its traits and audiences')
    .argument(
      '<identifier>',
      'type:value (e.g. email:Ann@X.com), normalized like identity.yml does, or a profile id',
    )
    .addHelpText(
      'after',
      `
The value is normalized the way the identity build normalizes it (email case and dots,
phone formats), so any spelling seen in a source finds the profile. When nothing matches,
the command says which form it tried and whether that value was excluded from matching
(blocklist, junk, hub), and exits 1.

Examples:
  weft profile email:Ann@Example.com
  weft profile "phone:+1 (415) 555-2671"
  weft profile user_id:c_000123 --json
  weft profile 3f9c2a1e0b7d4c55`,
    )
    .action(async (identifier: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withContext(opts, async ({ out, project, warehouse }) => {
        if (!project.identity)
          throw new UsageError('the project has no models/identity.yml, so it has no profiles');
        const lookup = await lookupProfile(project, await warehouse(), identifier).catch((error: unknown) => {
          throw error instanceof ProfileQueryError ? new UsageError(error.message) : error;
        });
        if (!lookup.found) {
          out.error(`✗ no profile found for ${identifier}`);
          for (const hint of lookup.hints) out.error(`  ${hint}`);
          out.result({
            error: 'not_found',
            query: identifier,
            normalized: lookup.normalized ?? null,
            hints: lookup.hints,
          });
          throw new ReportedFailure(1);
        }
        out.info(`profile ${lookup.profileId}`);
        for (const section of lookup.sections) {
          out.info(`\n${section.title}`);
          for (const line of section.output.lines) out.info(`  ${line}`);
        }
        out.result({
          profile_id: lookup.profileId,
          ...Object.fromEntries(lookup.sections.map((s) => [s.key, s.output.json])),
        });
      });
    });
}
