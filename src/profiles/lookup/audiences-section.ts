/**
 * The audiences a profile is in (and its split arm), read from the built `audience_<name>`
 * views in one query. Audiences not built yet are left out; the page never fails on them.
 */
import { audienceView, isBuilt } from '../../audiences/inspect/views.js';
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
  const order = built.map((a) => a.name);
  const memberships = rows
    .map((r) => ({ audience: String(r.audience), ...(r.split != null ? { split: String(r.split) } : {}) }))
    .sort((a, b) => order.indexOf(a.audience) - order.indexOf(b.audience));
  return { memberships, notBuilt };
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
