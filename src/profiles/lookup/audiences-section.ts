/**
 * The audiences a profile is in (and its split arm), as of the last build: one lookup by
 * profile_id in `audience_members`, audiences without an `audience_state` row counting as not
 * built. Before a build has written that table, one query over the `audience_<name>` views.
 * Audiences not built yet are left out; the page never fails on them.
 */

import { audienceView, isBuilt } from '../../audiences/inspect/views.js';
import { audienceMembersRelation } from '../../audiences/members.js';
import { readAudienceState } from '../../audiences/state.js';
import { relationKind } from '../../build/relations.js';
import type { Row } from '../../warehouse/types.js';
import type { ProfileSection, SectionContext } from './sections.js';

/** One audience the profile belongs to. */
export interface AudienceMembership {
  audience: string;
  /** The split arm, for audiences with `splits`. */
  split?: string;
}

/** The profile's audiences (in file order) and the declared audiences whose views do not exist yet. */
export async function loadMemberships(
  ctx: SectionContext,
): Promise<{ memberships: AudienceMembership[]; notBuilt: string[] }> {
  const members = audienceMembersRelation(ctx.project);
  if ((await relationKind(ctx.warehouse, members)) === 'table') return fromMembersTable(ctx);
  const { dialect } = ctx.warehouse;
  const built = [];
  const notBuilt = [];
  for (const { value } of ctx.project.audiences) {
    if (await isBuilt(ctx.warehouse, ctx.project, value.name)) built.push(value);
    else notBuilt.push(value.name);
  }
  if (built.length === 0) return { memberships: [], notBuilt };
  const id = dialect.literal(ctx.profileId);
  const selects = built.map((a) => {
    const split = a.splits ? dialect.cast('split', 'string') : dialect.cast('NULL', 'string');
    return `SELECT ${dialect.literal(a.name)} AS audience, ${split} AS split FROM ${dialect.qualify(audienceView(ctx.project, a.name))} WHERE profile_id = ${id}`;
  });
  const rows = await ctx.warehouse.query(selects.join('\nUNION ALL\n'));
  return {
    memberships: inOrder(
      rows,
      built.map((a) => a.name),
    ),
    notBuilt,
  };
}

/** The memberships from `audience_members` (the last build's), for audiences `audience_state` has. */
async function fromMembersTable(
  ctx: SectionContext,
): Promise<{ memberships: AudienceMembership[]; notBuilt: string[] }> {
  const { dialect } = ctx.warehouse;
  const state = await readAudienceState(ctx.warehouse, ctx.project);
  const declared = ctx.project.audiences.map((a) => a.value.name);
  const built = declared.filter((name) => state.has(name));
  const rows = await ctx.warehouse.query(
    `SELECT audience, split FROM ${dialect.qualify(audienceMembersRelation(ctx.project))} WHERE profile_id = ${dialect.literal(ctx.profileId)}`,
  );
  const notBuilt = declared.filter((name) => !state.has(name));
  return { memberships: inOrder(rows, built), notBuilt };
}

/** Rows `{audience, split}` of the `order` audiences as memberships, in that order. */
function inOrder(rows: Row[], order: string[]): AudienceMembership[] {
  return rows
    .filter((r) => order.includes(String(r.audience)))
    .map((r) => ({ audience: String(r.audience), ...(r.split != null ? { split: String(r.split) } : {}) }))
    .sort((a, b) => order.indexOf(a.audience) - order.indexOf(b.audience));
}

export const audiencesSection: ProfileSection = {
  key: 'audiences',
  title: 'audiences',
  async load(ctx) {
    if (ctx.project.audiences.length === 0) return { json: [], lines: ['(the project has no audiences)'] };
    let loaded: Awaited<ReturnType<typeof loadMemberships>>;
    try {
      loaded = await loadMemberships(ctx);
    } catch (error) {
      // A view over a table that is gone (a half-done build) must not take the page down.
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { json: [], lines: [`(could not read the audience views: ${reason})`] };
    }
    const { memberships, notBuilt } = loaded;
    if (notBuilt.length === ctx.project.audiences.length)
      return { json: [], lines: ['(no audiences built yet: run `weft build`)'] };
    const lines = memberships.map((m) => (m.split ? `${m.audience}  (arm: ${m.split})` : m.audience));
    if (lines.length === 0) lines.push('(none)');
    if (notBuilt.length > 0) lines.push(`(not built yet: ${notBuilt.join(', ')})`);
    return { json: memberships, lines };
  },
};
