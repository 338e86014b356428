/** Human lines for the identity, profiles and audiences stages of `weft build`. */
import type { AudiencesReport } from '../audiences/index.js';
import type { StageResult, StageResults } from '../build/index.js';
import type { IdentityReport } from '../identity/index.js';
import type { ProfilesReport } from '../profiles/index.js';
import { formatCount, formatMs } from './format.js';

/** The identity report: identifiers, profiles, rounds, largest profile, blocked, hubs, limits. */
export function identityLines(stage: StageResult<IdentityReport>): string[] {
  if (stage.status !== 'success' || !stage.report) return [stageProblem('identity', stage)];
  const r = stage.report;
  const mode = r.incremental
    ? `incremental, ${formatCount(r.rows_processed)} new rows`
    : `full rebuild${r.full_rebuild_reason ? `: ${r.full_rebuild_reason}` : ''}`;
  const lines = [
    `Identity (${mode}) in ${formatMs(stage.ms)}`,
    `  ${formatCount(r.identifiers)} identifiers → ${formatCount(r.profiles)} profiles in ${r.rounds} rounds` +
      `; largest profile ${formatCount(r.largest_profile)} identifiers`,
    `  ${formatCount(r.values_blocked)} values blocked, ${formatCount(r.hubs)} hubs and ${formatCount(r.shared)} shared values found (identity_shared), ` +
      `${formatCount(r.limits_applied)} edges dropped by max_per_profile; ${r.merges} merges, ${r.splits} splits`,
  ];
  if (r.phones_not_strictly_valid > 0)
    lines.push(
      `  ${formatCount(r.phones_not_strictly_valid)} phones kept though outside their numbering plan (possible, not strictly valid)`,
    );
  for (const giant of r.giant_profiles) {
    lines.push(`  ! giant profile ${giant.profile_id}: ${formatCount(giant.identifiers)} identifiers`);
  }
  return lines;
}

/** The profiles line: how many profiles and traits. */
export function profilesLines(stage: StageResult<ProfilesReport>): string[] {
  if (stage.status !== 'success' || !stage.report) return [stageProblem('profiles', stage)];
  const r = stage.report;
  return [`Profiles: ${formatCount(r.profiles)} rows × ${r.traits.length} traits in ${formatMs(stage.ms)}`];
}

/** One line per audience with its size (and its arms'), then failed and skipped audiences. */
export function audiencesLines(stage: StageResult<AudiencesReport>): string[] {
  const r = stage.report;
  if (!r) return [stageProblem('audiences', stage)];
  const lines = [`Audiences: ${r.audiences.length} built in ${formatMs(stage.ms)}`];
  for (const a of r.audiences) {
    const arms = a.arms.map((arm) => `${arm.name} ${formatCount(arm.size)}`).join(', ');
    lines.push(`  ${a.name}: ${formatCount(a.size)} profiles${arms ? ` (${arms})` : ''}`);
  }
  for (const f of r.failed) lines.push(`  ✗ ${f.name} failed: ${f.error}`);
  for (const s of r.skipped) lines.push(`  - ${s.name} skipped: ${s.skipped_because}`);
  return lines;
}

/** All stage lines of a build, in run order. */
export function stageLines(stages: StageResults): string[] {
  return [
    ...(stages.identity ? identityLines(stages.identity) : []),
    ...(stages.profiles ? profilesLines(stages.profiles) : []),
    ...(stages.audiences ? audiencesLines(stages.audiences) : []),
  ];
}

function stageProblem(name: string, stage: StageResult<unknown>): string {
  return stage.status === 'skipped'
    ? `- ${name} skipped: ${stage.skipped_because}`
    : `✗ ${name} failed: ${String(stage.error).split('\n').join('\n  ')}`;
}
