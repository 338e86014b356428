/**
 * What the builder shows beside a draft's live size: the size of each group of its conditions on
 * its own, its overlap with every other built audience (from `audience_members`, the last build),
 * and a sample of its members with identifier values masked.
 *
 * One pass over the profiles: every group's test and the draft's own test are computed side by
 * side (the event counts each event condition needs joined once) into a session scratch table of
 * the profiles that pass any of them, with a membership flag and a group mask. Group sizes,
 * overlaps and the sample are then small queries over that table.
 */

import { resolveAsOf } from '../../audiences/as-of.js';
import {
  type ConditionParts,
  type ConditionScope,
  conditionSql,
  eventJoins,
  PROFILE_ALIAS,
} from '../../audiences/condition-sql.js';
import { audienceMembersRelation } from '../../audiences/members.js';
import { memberRelations } from '../../audiences/names.js';
import { relationKind } from '../../build/relations.js';
import type { AudienceConfig, Condition, Project } from '../../config/types.js';
import { profileTables } from '../../profiles/build.js';
import { jsonValue } from '../../profiles/lookup/json-value.js';
import type { Dialect, Row, Warehouse } from '../../warehouse/types.js';
import { compileDraft, parseDraft } from './audiences-data.js';

/** Groups sized per call. */
const MAX_GROUPS = 12;
/** Members in the sample. */
const SAMPLE = 10;
/** The session scratch table of one insights call. */
const SCRATCH = 'weft_console_draft';

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
  /** The draft's size (as audiences/size counts it). */
  size: number;
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
  // Compiled as `weft build` would (a 400 when it does not compile), and for raw-SQL drafts.
  const compiled = compileDraft(project, warehouse.dialect, audience);
  const d = warehouse.dialect;
  const groups = audience.where ? groupsOf(audience.where, []).slice(0, MAX_GROUPS) : [];
  const scratch = d.tempRelation(SCRATCH);
  const flags = audience.where
    ? flagsSql(project, d, audience, groups)
    : `SELECT profile_id, TRUE AS weft_member, 0 AS weft_groups FROM (${compiled.sql}) AS weft_draft`;
  await warehouse.execute(d.createTempTableAs(scratch, flags));
  try {
    const t = d.qualify(scratch);
    const masks = await warehouse.query(
      `SELECT weft_member, weft_groups, count(*) AS n FROM ${t} GROUP BY weft_member, weft_groups`,
    );
    const sizeOf = (pass: (row: Row) => boolean) =>
      masks.filter(pass).reduce((sum, row) => sum + Number(row.n), 0);
    const size = sizeOf((row) => row.weft_member === true);
    const groupSizes = groups.map((group, i) => ({
      path: group.path,
      match: group.match,
      conditions: group.conditions,
      size: sizeOf((row) => Math.floor(Number(row.weft_groups) / 2 ** i) % 2 === 1),
    }));
    const members = audienceMembersRelation(project);
    const built = (await relationKind(warehouse, members)) === 'table';
    const overlaps = built
      ? (
          await warehouse.query(
            // One audience_members row per (audience, profile) and one scratch row per profile:
            // plain counts, no DISTINCT.
            `SELECT o.audience, count(*) AS size, count(t.profile_id) AS overlap
FROM ${d.qualify(members)} AS o
LEFT JOIN (SELECT profile_id FROM ${t} WHERE weft_member) AS t ON t.profile_id = o.profile_id
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
FROM (SELECT DISTINCT profile_id FROM ${t} WHERE weft_member ORDER BY profile_id LIMIT ${SAMPLE}) AS m
LEFT JOIN ${d.qualify(profiles)} AS p ON p.profile_id = m.profile_id
ORDER BY m.profile_id`,
    );
    const sample = rows.map((row) => maskRow(jsonValue(row) as Row, idTypes));
    return { size, groups: groupSizes, overlaps, sample, built };
  } finally {
    await warehouse.execute(d.dropRelation(scratch, 'table')).catch(() => undefined);
  }
}

/**
 * One SELECT over the profiles: `profile_id`, `weft_member` (the draft's own test: its `where`
 * and not its `exclude`, as compile.ts writes them) and `weft_groups` (bit i set when group i
 * holds), for every profile that passes any of them. Each leaf condition is compiled once, so an
 * event condition's counts are joined once, however many groups contain it.
 */
function flagsSql(
  project: Project,
  d: Dialect,
  audience: AudienceConfig,
  groups: Array<{ node: Condition }>,
): string {
  const others = project.audiences.filter((a) => a.value.name !== audience.name);
  const withDraft: Project = {
    ...project,
    audiences: [...others, { path: `models/audiences/${audience.name}.yml`, value: audience }],
  };
  const asOf = resolveAsOf(project);
  const tables = profileTables(project);
  const scope: ConditionScope = {
    project: withDraft,
    dialect: d,
    now: asOf ? d.literal(asOf) : d.currentTimestamp(),
    traits: new Set(Object.keys(project.profiles?.traits ?? {})),
    identityRows: tables.identityRows,
    members: memberRelations(withDraft),
  };
  const parts: ConditionParts = { events: [], dependsOn: new Set() };
  const compiledNodes = new Map<Condition, string>();
  const compile = (node: Condition): string => {
    const known = compiledNodes.get(node);
    if (known !== undefined) return known;
    let sql: string;
    if ('all' in node || 'any' in node) {
      const [children, joiner] = 'all' in node ? [node.all, 'AND'] : [node.any, 'OR'];
      const sqls = children.map(compile);
      sql = sqls.length === 1 ? (sqls[0] as string) : `(${sqls.join(` ${joiner} `)})`;
    } else if ('not' in node) sql = `NOT (${compile(node.not)})`;
    else sql = conditionSql(node, scope, parts);
    compiledNodes.set(node, sql);
    return sql;
  };
  const where = compile(audience.where as Condition);
  const tests = [where];
  if (audience.exclude !== undefined) tests.push(`NOT (${conditionSql(audience.exclude, scope, parts)})`);
  const member = tests.join(' AND ');
  const groupTests = groups.map((g) => compile(g.node));
  const mask = groupTests.map((g, i) => `CASE WHEN ${g} THEN ${2 ** i} ELSE 0 END`);
  const ctes = parts.events.length
    ? `WITH ${parts.events.map((e) => `${e.name} AS (\n${e.select}\n)`).join(',\n')}\n`
    : '';
  return `${ctes}SELECT ${PROFILE_ALIAS}.profile_id, CASE WHEN ${member} THEN TRUE ELSE FALSE END AS weft_member, ${mask.length > 0 ? mask.join(' + ') : '0'} AS weft_groups
FROM ${d.qualify(tables.profiles)} AS ${PROFILE_ALIAS}
${eventJoins(parts).join('\n')}
WHERE ${[member, ...groupTests].map((t) => `(${t})`).join(' OR ')}
`;
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
