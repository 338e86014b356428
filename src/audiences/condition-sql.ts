/**
 * An audience's condition tree → one boolean SQL expression over `weft_p` (the profiles row).
 * Every leaf is two-valued (a NULL trait compares as FALSE), so `not` is the exact complement
 * and `exclude` never drops a profile by accident. Event leaves add a per-profile count CTE
 * (see events.ts); audience leaves record a dependency.
 */
import type { Condition, EventCondition, TraitCondition } from '../config/schemas/audience.js';
import type { Project } from '../config/types.js';
import { didYouMean } from '../util/suggest.js';
import type { Dialect, RelationRef } from '../warehouse/types.js';
import { countTest, EVENT_PROFILE, eventCountsSelect } from './events.js';
import { comparison } from './operators.js';

/** The alias of the profiles table in an audience's SELECT. */
export const PROFILE_ALIAS = 'weft_p';

/** What a condition can refer to. */
export interface ConditionScope {
  project: Project;
  dialect: Dialect;
  /** SQL for "now": an as_of literal or the engine's clock. */
  now: string;
  /** Trait (profiles column) names. */
  traits: ReadonlySet<string>;
  identityRows: RelationRef;
  /** `name` or `name_arm` → the relation holding those members and the audience it comes from. */
  members: ReadonlyMap<string, { audience: string; relation: RelationRef }>;
}

/** The parts a compiled condition adds to the audience's SELECT. */
export interface ConditionParts {
  /** Named CTEs (name, SELECT) of event counts, each LEFT JOINed on the profile id. */
  events: Array<{ name: string; select: string }>;
  /** Audiences (by name) this condition reads. */
  dependsOn: Set<string>;
}

/** Compiles `condition`, adding CTEs and dependencies to `parts`. Throws Error with a user message. */
export function conditionSql(
  condition: Condition,
  scope: ConditionScope,
  parts: ConditionParts,
  depth = 1,
): string {
  const inner = '  '.repeat(depth + 1);
  if ('all' in condition || 'any' in condition) {
    const [children, joiner] = 'all' in condition ? [condition.all, 'AND'] : [condition.any, 'OR'];
    const sqls = children.map((child) => conditionSql(child, scope, parts, depth + 1));
    return sqls.length === 1
      ? (sqls[0] as string)
      : `(\n${inner}${sqls.join(`\n${inner}${joiner} `)}\n${'  '.repeat(depth)})`;
  }
  if ('not' in condition) return `NOT (${conditionSql(condition.not, scope, parts, depth)})`;
  if ('audience' in condition) return membershipSql(condition.audience, scope, parts);
  if ('trait' in condition) return traitSql(condition, scope);
  return eventSql(condition, scope, parts);
}

function traitSql(condition: TraitCondition, scope: ConditionScope): string {
  if (!scope.traits.has(condition.trait)) {
    const known = [...scope.traits];
    throw new Error(
      `unknown trait '${condition.trait}'${didYouMean(condition.trait, known)} (profiles.yml traits: ${known.join(', ') || 'none'})`,
    );
  }
  const column = `${PROFILE_ALIAS}.${scope.dialect.quoteIdent(condition.trait)}`;
  const test = comparison(scope.dialect, column, condition.op, condition.value, scope.now);
  return `coalesce(${test}, FALSE)`;
}

function eventSql(condition: EventCondition, scope: ConditionScope, parts: ConditionParts): string {
  const name = `weft_event_${parts.events.length}`;
  parts.events.push({
    name,
    select: eventCountsSelect(scope.project, scope.dialect, condition, scope.identityRows, scope.now),
  });
  return countTest(condition, name);
}

function membershipSql(name: string, scope: ConditionScope, parts: ConditionParts): string {
  const member = scope.members.get(name);
  if (!member) throw new Error(`unknown audience '${name}'${didYouMean(name, scope.members.keys())}`);
  parts.dependsOn.add(member.audience);
  const relation = scope.dialect.qualify(member.relation);
  return `EXISTS (SELECT 1 FROM ${relation} AS weft_m WHERE weft_m.profile_id = ${PROFILE_ALIAS}.profile_id)`;
}

/** `LEFT JOIN` clauses for the event CTEs. */
export function eventJoins(parts: ConditionParts): string[] {
  return parts.events.map(
    (e) => `LEFT JOIN ${e.name} ON ${e.name}.${EVENT_PROFILE} = ${PROFILE_ALIAS}.profile_id`,
  );
}
