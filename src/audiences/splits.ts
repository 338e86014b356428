/**
 * Deterministic splits: bucket 0..99 from the SHA-256 of `<audience>:<profile_id>` (the
 * dialect's hashBucket, identical on every engine and in `splitBucket` below); arms take
 * consecutive bucket ranges in the order written. A profile's arm depends only on the audience
 * name and its own id, so it is stable across builds and when other profiles come and go.
 */
import { createHash } from 'node:crypto';
import type { Dialect } from '../warehouse/types.js';

/** Buckets a split divides profiles into (percent granularity). */
export const SPLIT_BUCKETS = 100;
/** The column holding a profile's arm. */
export const SPLIT_COLUMN = 'split';

/** One arm and its bucket range [from, to). */
export interface SplitArm {
  name: string;
  percent: number;
  from: number;
  to: number;
}

/** The arms of `splits` in the order written, with their bucket ranges. */
export function splitArms(splits: Record<string, number>): SplitArm[] {
  let from = 0;
  return Object.entries(splits).map(([name, percent]) => {
    const arm = { name, percent, from, to: from + percent };
    from = arm.to;
    return arm;
  });
}

/** The SQL bucket of `profileIdExpr` in `audience`. */
export function bucketSql(dialect: Dialect, audience: string, profileIdExpr: string): string {
  return dialect.hashBucket(
    `${dialect.literal(`${audience}:`)} || ${dialect.cast(profileIdExpr, 'string')}`,
    SPLIT_BUCKETS,
  );
}

/** `CASE WHEN <bucket> < 10 THEN 'control' … END`: the arm of the row whose bucket is `bucketExpr`. */
export function splitCaseSql(dialect: Dialect, arms: SplitArm[], bucketExpr: string): string {
  const whens = arms
    .filter((arm) => arm.percent > 0)
    .map((arm) => `WHEN ${bucketExpr} < ${arm.to} THEN ${dialect.literal(arm.name)}`);
  return `CASE ${whens.join(' ')} END`;
}

/** The bucket computed in JS (what the SQL computes): for tests and explanations. */
export function splitBucket(audience: string, profileId: string): number {
  const hex = createHash('sha256').update(`${audience}:${profileId}`).digest('hex');
  return Number.parseInt(hex.slice(0, 8), 16) % SPLIT_BUCKETS;
}

/** The arm a profile lands in (JS mirror of splitCaseSql). */
export function splitArmOf(audience: string, profileId: string, arms: SplitArm[]): string | undefined {
  const bucket = splitBucket(audience, profileId);
  return arms.find((arm) => bucket >= arm.from && bucket < arm.to)?.name;
}
