/**
 * The audience condition grammar evaluated in memory against one live profile: `all` / `any` /
 * `not`, trait comparisons and audience membership. An unknown person is the empty profile (no
 * traits, no audiences), so it matches exactly the conditions that hold for nobody-known (e.g.
 * `not: { audience: customers }` or `{ trait: plan, op: is_null }`). Event conditions are refused
 * when the trigger is loaded (config/trigger-refs.ts); here they never match.
 */
import type { Condition } from '../../config/schemas/audience.js';
import type { ServedProfile } from '../types.js';
import { compare } from './compare.js';

/** What a condition reads: a served profile's traits and audience names. */
export interface ProfileFacts {
  traits: Record<string, unknown>;
  audiences: ReadonlySet<string>;
}

/** The facts of a served profile, or of nobody (an unknown person). */
export function profileFacts(profile: ServedProfile | undefined): ProfileFacts {
  return { traits: profile?.traits ?? {}, audiences: new Set(profile?.audiences ?? []) };
}

/** Whether `condition` holds for `facts` at `now` (the relative date ops compare with it). */
export function evaluateCondition(condition: Condition, facts: ProfileFacts, now: Date): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, facts, now));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, facts, now));
  if ('not' in condition) return !evaluateCondition(condition.not, facts, now);
  if ('audience' in condition) return facts.audiences.has(condition.audience);
  if ('trait' in condition) return compare(facts.traits[condition.trait], condition.op, condition.value, now);
  return false;
}
