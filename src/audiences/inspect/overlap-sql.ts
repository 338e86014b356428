/**
 * One query for an audience's size, its split arms and its overlap with other audiences: the
 * other audiences' profile ids, tagged with their names, left-joined to the target's ids and
 * grouped. Rows: `kind` 'size' (the target), 'arm' (one per split arm, `name` = arm) and
 * 'overlap' (`name` = other audience, `size` = its size, `overlap` = members in both).
 */
import type { Dialect, RelationRef } from '../../warehouse/types.js';

/** The target audience and the other built audiences to compare it with. */
export interface OverlapInput {
  target: RelationRef;
  /** Whether the target's view has a `split` column (the audience has `splits`). */
  hasSplits: boolean;
  others: Array<{ name: string; relation: RelationRef }>;
}

/** The size + arms + overlap query (see the file comment for its rows). */
export function overlapSql(dialect: Dialect, input: OverlapInput): string {
  const target = dialect.qualify(input.target);
  const text = (expr: string) => dialect.cast(expr, 'string');
  const parts = [
    `SELECT 'size' AS kind, ${text('NULL')} AS name, count(*) AS size, count(*) AS overlap FROM ${target}`,
  ];
  if (input.hasSplits) {
    parts.push(
      `SELECT 'arm' AS kind, ${text('split')} AS name, count(*) AS size, count(*) AS overlap FROM ${target} GROUP BY split`,
    );
  }
  if (input.others.length > 0) {
    const tagged = input.others
      .map((o) => `SELECT ${dialect.literal(o.name)} AS name, profile_id FROM ${dialect.qualify(o.relation)}`)
      .join('\n  UNION ALL\n  ');
    parts.push(`SELECT 'overlap' AS kind, o.name, count(*) AS size, count(t.profile_id) AS overlap
FROM (
  ${tagged}
) AS o
LEFT JOIN (SELECT profile_id FROM ${target}) AS t ON t.profile_id = o.profile_id
GROUP BY o.name`);
  }
  return parts.join('\nUNION ALL\n');
}
