/** Sizes, arm sizes and fingerprints of every audience in `audience_members`, from one aggregate. */
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { measureSql } from './members.js';

/** One audience as the members table holds it. */
export interface AudienceMeasure {
  name: string;
  size: number;
  /** Members per split arm (absent arms have none). */
  arms: Map<string, number>;
  /** `count:sum1:sum2` (see measureSql): equal members, equal fingerprint. */
  fingerprint: string;
}

/**
 * Measures the audiences in `members`; `names` lists the audiences wanted, each present in the
 * result (an audience without rows measures 0 with fingerprint `0:0:0`).
 */
export async function measureMembers(
  warehouse: Warehouse,
  members: RelationRef,
  names: string[],
): Promise<Map<string, AudienceMeasure>> {
  const rows = await warehouse.query(measureSql(warehouse.dialect, members));
  const sums = new Map(
    names.map((name) => [name, { size: 0, a: 0n, b: 0n, arms: new Map<string, number>() }]),
  );
  for (const row of rows) {
    const sum = sums.get(String(row.audience));
    if (!sum) continue;
    const size = Number(row.size);
    sum.size += size;
    sum.a += BigInt(String(row.hash_a));
    sum.b += BigInt(String(row.hash_b));
    if (row.split != null) sum.arms.set(String(row.split), size);
  }
  return new Map(
    [...sums].map(([name, s]) => [
      name,
      { name, size: s.size, arms: s.arms, fingerprint: `${s.size}:${s.a}:${s.b}` },
    ]),
  );
}
