/** The profile's traits: its row of the `profiles` table, in profiles.yml column order. */
import { displayValue, jsonValue } from './json-value.js';
import type { ProfileSection, SectionContext } from './sections.js';

/** Trait name → value; empty when `profiles` is not built or lacks the profile. */
export async function loadTraits(ctx: SectionContext): Promise<Record<string, unknown>> {
  const profiles = ctx.tables.profiles;
  if (!profiles) return {};
  const { dialect } = ctx.warehouse;
  const [row] = await ctx.warehouse.query(
    `SELECT * FROM ${dialect.qualify(profiles)} WHERE profile_id = ${dialect.literal(ctx.profileId)}`,
  );
  if (!row) return {};
  const { profile_id: _id, ...traits } = row;
  return traits;
}

export const traitsSection: ProfileSection = {
  key: 'traits',
  title: 'traits',
  async load(ctx) {
    const traits = await loadTraits(ctx);
    const names = Object.keys(traits);
    const width = Math.max(0, ...names.map((n) => n.length));
    const lines = ctx.tables.profiles
      ? names.map((name) => `${name.padEnd(width)}  ${displayValue(traits[name])}`)
      : ['(no profiles table yet: run `weft build`)'];
    return { json: jsonValue(traits), lines: lines.length > 0 ? lines : ['(none)'] };
  },
};
