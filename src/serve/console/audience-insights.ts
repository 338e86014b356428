/**
 * What the builder shows beside a draft's live size: the size of each group of its conditions on
 * its own, its overlap with every other built audience (from `audience_members`, the last build),
 * and a sample of its members with identifier values masked.
 */

import { audienceMembersRelation } from '../../audiences/members.js';
import { relationKind } from '../../build/relations.js';
import type { AudienceConfig, Condition, Project } from '../../config/types.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import type { Row, Warehouse } from '../../warehouse/types.js';
import { compileDraft, parseDraft } from './audiences-data.js';

/** Groups sized per call (each is one count). */
const MAX_GROUPS = 12;
/** Members in the sample. */
const SAMPLE = 10;

/** One group of the draft's `where`, by its position (indices into the groups' lists). */
export interface GroupSize {
  /** [] is `where` itself; [1, 0] is its 2nd condition's 1st condition. */
  path: number[];
  /** `all`, `any`, `not all` or `not any`. */
  match: string;
  conditions: number;
  size: number;
}

/** The builder's insights for a draft. */
export interface DraftInsights {
  groups: GroupSize[];
  /** Every other audience built into audience_members, largest overlap first. */
  overlaps: Array<{ audience: string; size: number; overlap: number }>;
  /** Up to SAMPLE members (ordered by profile id), identifiers masked. */
  sample: Row[];
  /** Whether overlaps could be computed (false before any build wrote audience_members). */
  built: boolean;
}

/** A draft's groups, overlaps and sample. */
export async function draftInsights(
  project: Project,
  warehouse: Warehouse,
  draft: unknown,
): Promise<DraftInsights> {
  const audience = parseDraft(draft);
  const { sql } = compileDraft(project, warehouse.dialect, audience);
  const groups: GroupSize[] = [];
  for (const group of audience.where ? groupsOf(audience.where, []).slice(0, MAX_GROUPS) : []) {
    const alone: AudienceConfig = { name: audience.name, where: group.node, columns: [] };
    const compiled = compileDraft(project, warehouse.dialect, alone);
    const [row] = await warehouse.query(`SELECT count(*) AS n FROM (${compiled.sql}) AS weft_group`);
    groups.push({
      path: group.path,
      match: group.match,
      conditions: group.conditions,
      size: Number(row?.n ?? 0),
    });
  }
  const d = warehouse.dialect;
  const members = audienceMembersRelation(project);
  const built = (await relationKind(warehouse, members)) === 'table';
  const overlaps = built
    ? (
        await warehouse.query(
          `SELECT o.audience, count(DISTINCT o.profile_id) AS size, count(DISTINCT t.profile_id) AS overlap
FROM ${d.qualify(members)} AS o
LEFT JOIN (SELECT DISTINCT profile_id FROM (${sql}) AS weft_draft) AS t ON t.profile_id = o.profile_id
WHERE o.audience <> ${d.literal(audience.name)}
GROUP BY o.audience`,
        )
      )
        .map((r) => ({ audience: String(r.audience), size: Number(r.size), overlap: Number(r.overlap) }))
        .sort((a, b) => b.overlap - a.overlap || a.audience.localeCompare(b.audience))
    : [];
  const idTypes = new Set(Object.keys(project.identity?.id_types ?? {}));
  // The draft's exported columns, or the first traits when it exports none, from profiles.
  const traits = Object.keys(project.profiles?.traits ?? {});
  const shown = (audience.columns.length > 0 ? audience.columns : traits.slice(0, 4)).filter((c) =>
    traits.includes(c),
  );
  const profiles = { schema: project.config.schema, name: 'profiles' };
  const rows = await warehouse.query(
    `SELECT m.profile_id${shown.map((c) => `, p.${d.quoteIdent(c)}`).join('')}
FROM (SELECT DISTINCT profile_id FROM (${sql}) AS weft_draft ORDER BY profile_id LIMIT ${SAMPLE}) AS m
LEFT JOIN ${d.qualify(profiles)} AS p ON p.profile_id = m.profile_id
ORDER BY m.profile_id`,
  );
  const sample = rows.map((row) => maskRow(jsonValue(row) as Row, idTypes));
  return { groups, overlaps, sample, built };
}

/** Every all/any group of a condition tree (a negated one as itself), with its path. */
function groupsOf(
  node: Condition,
  path: number[],
): Array<{ node: Condition; path: number[]; match: string; conditions: number }> {
  const negated = 'not' in node;
  const inner = negated ? (node as { not: Condition }).not : node;
  const items = 'all' in inner ? inner.all : 'any' in inner ? inner.any : undefined;
  if (!items) return [];
  const match = `${negated ? 'not ' : ''}${'all' in inner ? 'all' : 'any'}`;
  return [
    { node, path, match, conditions: items.length },
    ...items.flatMap((item, i) => groupsOf(item, [...path, i])),
  ];
}

/**
 * Identifier values masked: an email keeps its first character and its domain (`a…@example.com`),
 * anything else in an identifier column its last 4 characters (`…2671`). The profile id stays (it
 * links to the profile page, which an identifier search reaches anyway).
 */
export function maskRow(row: Row, idTypes: Set<string>): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) {
    const identifier = idTypes.has(column) || (typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value));
    out[column] =
      column !== 'profile_id' && identifier && typeof value === 'string' ? maskValue(value) : value;
  }
  return out;
}

function maskValue(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}…${value.slice(at)}`;
  return value.length <= 4 ? '…' : `…${value.slice(-4)}`;
}
