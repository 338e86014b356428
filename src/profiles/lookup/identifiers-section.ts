/** The profile's identifiers by type (identity.yml priority order), with sources and first/last seen. */
import { formatTable } from '../../cli/format.js';
import { displayValue, jsonValue } from './json-value.js';
import type { ProfileSection, SectionContext } from './sections.js';

/** One identifier of a profile. */
export interface ProfileIdentifier {
  type: string;
  value: string;
  /** Identity sources it was seen in, by name. */
  sources: string[];
  first_seen_at: unknown;
  last_seen_at: unknown;
}

/** The profile's identifiers, highest-priority type first, then oldest first. */
export async function loadIdentifiers(ctx: SectionContext): Promise<ProfileIdentifier[]> {
  const { dialect } = ctx.warehouse;
  const map = ctx.tables.identity_map;
  if (!map) return [];
  const id = dialect.literal(ctx.profileId);
  const rows = await ctx.warehouse.query(
    `SELECT id_type, id_value, first_seen_at, last_seen_at FROM ${dialect.qualify(map)} WHERE profile_id = ${id}`,
  );
  const sources = new Map<string, string[]>();
  if (ctx.tables.identity_occurrences) {
    const seen = await ctx.warehouse.query(`SELECT DISTINCT o.id_type, o.id_value, o.source
FROM ${dialect.qualify(ctx.tables.identity_occurrences)} AS o
JOIN ${dialect.qualify(map)} AS m ON m.id_type = o.id_type AND m.id_value = o.id_value
WHERE m.profile_id = ${id}
ORDER BY o.source`);
    for (const row of seen) {
      const key = `${String(row.id_type)}\u0000${String(row.id_value)}`;
      sources.set(key, [...(sources.get(key) ?? []), String(row.source)]);
    }
  }
  return orderIdentifiers(ctx.project, rows, sources);
}

/**
 * identity_map rows as identifiers, with the sources each was seen in (`sources`, keyed
 * `type\u0000value`): highest-priority type first (identity.yml order), then oldest, then value.
 */
export function orderIdentifiers(
  project: SectionContext['project'],
  rows: Array<Record<string, unknown>>,
  sources: ReadonlyMap<string, string[]>,
): ProfileIdentifier[] {
  const priority = Object.keys(project.identity?.id_types ?? {});
  const rank = (type: string) => (priority.includes(type) ? priority.indexOf(type) : priority.length);
  return rows
    .map((row) => ({
      type: String(row.id_type),
      value: String(row.id_value),
      sources: sources.get(`${String(row.id_type)}\u0000${String(row.id_value)}`) ?? [],
      first_seen_at: row.first_seen_at,
      last_seen_at: row.last_seen_at,
    }))
    .sort(
      (a, b) =>
        rank(a.type) - rank(b.type) ||
        displayValue(a.first_seen_at).localeCompare(displayValue(b.first_seen_at)) ||
        a.value.localeCompare(b.value),
    );
}

export const identifiersSection: ProfileSection = {
  key: 'identifiers',
  title: 'identifiers',
  async load(ctx) {
    const identifiers = await loadIdentifiers(ctx);
    const table = formatTable(
      ['type', 'value', 'sources', 'first seen', 'last seen'],
      identifiers.map((i) => [
        i.type,
        i.value,
        i.sources.join(', ') || '-',
        displayValue(i.first_seen_at),
        displayValue(i.last_seen_at),
      ]),
    );
    return { json: identifiers.map((i) => jsonValue(i)), lines: table.split('\n') };
  },
};
