/**
 * `explainLink`: the shortest evidence path linking two identifiers through the edges the
 * build merged on, or why they are not linked (unknown or excluded value, an edge not used
 * because of a hub or a limit, or no evidence at all).
 */
import type { Project } from '../../config/types.js';
import { phoneStrictlyValid } from '../../identity/normalize.js';
import type { Warehouse } from '../../warehouse/types.js';
import { identityTables, type Normalizer, parseIdentifier, resolveEndpoint } from './endpoints.js';
import { type SearchLimits, shortestEvidencePath } from './path-search.js';
import type { ExplainEndpoint, ExplainResult, IdentifierRef } from './types.js';

/** What a shared value means for the rows carrying it (docs/identity.md, Shared values). */
const SHARED_TEXT =
  ": several people use it, so it is attached to each of their profiles (identity_shared) and a row carrying nothing else is in no person's profile";

/** Options of `explainLink`. */
export interface ExplainOptions extends Partial<SearchLimits> {
  /** How the build normalizes a raw value (the identity build's own normalization). */
  normalize: Normalizer;
}

const DEFAULT_LIMITS: SearchLimits = { maxHops: 12, maxNodes: 20_000 };

/** Flags of a resolved endpoint's value (see ExplainEndpoint.flags). */
function valueFlags(project: Project, e: ExplainEndpoint): string[] {
  const kind = project.identity?.id_types[e.type]?.normalize;
  if (kind === 'phone' && e.value !== null && !phoneStrictlyValid(e.value))
    return ['phone_not_strictly_valid'];
  return [];
}

const label = (e: ExplainEndpoint) => `${e.type}:${e.value ?? e.input.slice(e.type.length + 1)}`;

/** Explains whether and how identifiers `a` and `b` (`type:value`) are linked. */
export async function explainLink(
  warehouse: Warehouse,
  project: Project,
  a: string,
  b: string,
  options: ExplainOptions,
): Promise<ExplainResult> {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const tables = identityTables(project);
  for (const table of [tables.map, tables.edges, tables.occurrences]) {
    const found = await warehouse.query(warehouse.dialect.relationKindQuery(table));
    if (found.length === 0) throw new Error(`no ${table.schema}.${table.name} yet: run \`weft build\` first`);
  }
  const endpoint = async (input: string) => {
    const { type, raw } = parseIdentifier(project, input);
    const resolved = await resolveEndpoint(warehouse, tables, input, type, raw, options.normalize);
    const flags = valueFlags(project, resolved);
    return flags.length > 0 ? { ...resolved, flags } : resolved;
  };
  const ea = await endpoint(a);
  const eb = await endpoint(b);
  const result = (
    linked: boolean,
    reason: ExplainResult['reason'],
    message: string,
    path: ExplainResult['path'] = [],
  ) => ({ linked, reason, message, a: ea, b: eb, path }) satisfies ExplainResult;

  for (const e of [ea, eb]) {
    if (e.status === 'unknown')
      return result(false, 'unknown_identifier', `${label(e)} does not occur in any identity source`);
    if (e.status === 'excluded') {
      const why = e.excluded_reason === 'shared' ? SHARED_TEXT : '';
      return result(
        false,
        'excluded_value',
        `${label(e)} is not used for matching (${e.excluded_reason})${why}`,
      );
    }
  }
  const from: IdentifierRef = { type: ea.type, value: ea.value as string };
  const to: IdentifierRef = { type: eb.type, value: eb.value as string };
  if (from.type === to.type && from.value === to.value) {
    return result(true, 'same_identifier', `${label(ea)} and ${label(eb)} are the same identifier`);
  }
  const search = (includeUnused: boolean) =>
    shortestEvidencePath(warehouse, tables.edges, from, to, { ...limits, includeUnused });

  if (ea.profile_id === eb.profile_id) {
    const used = await search(false);
    if (used.status === 'found') {
      const hops = used.path.length;
      return result(
        true,
        'linked',
        `linked in profile ${ea.profile_id} by ${hops} hop${hops === 1 ? '' : 's'}`,
        used.path,
      );
    }
    return result(
      true,
      'search_limit',
      `both are in profile ${ea.profile_id}, but no path within ${limits.maxHops} hops / ${limits.maxNodes} identifiers`,
    );
  }
  const any = await search(true);
  if (any.status === 'found') {
    const unused = any.path.filter((hop) => !hop.used_for_merge);
    const reasons = [...new Set(unused.map((hop) => hop.unused_reason ?? 'unused'))].join(', ');
    const names = unused.map((h) => `${h.from.type}:${h.from.value} — ${h.to.type}:${h.to.value}`).join('; ');
    return result(
      false,
      'unused_edge',
      `not linked: the evidence path needs edge${unused.length === 1 ? '' : 's'} not used for merging (${reasons}): ${names}`,
      any.path,
    );
  }
  if (any.status === 'limit') {
    return result(
      false,
      'search_limit',
      `not linked (different profiles); no evidence path within ${limits.maxHops} hops / ${limits.maxNodes} identifiers`,
    );
  }
  return result(false, 'no_evidence', 'not linked: no source row connects them, even through unused edges');
}
