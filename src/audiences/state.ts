/**
 * `<state_schema>.audience_state`: one row per audience with its size and a fingerprint of its
 * members at the last build, and when the membership last changed. Written after each build
 * from the measures of `audience_members` (measure.ts); `weft audience list` reads it. Members
 * never leave the warehouse: only their count and hash sums do.
 */
import type { Project } from '../config/types.js';
import type { ColumnDef, RelationRef, Row, Warehouse } from '../warehouse/types.js';

/** Columns of `audience_state`. */
export const AUDIENCE_STATE_COLUMNS: ColumnDef[] = [
  { name: 'audience', type: 'string' },
  { name: 'built_at', type: 'timestamp' },
  { name: 'size', type: 'bigint' },
  /** Order-independent digest of the member profile ids (see `measureSql` in members.ts). */
  { name: 'fingerprint', type: 'string' },
  /** The build at which the fingerprint last changed (its first build for a new audience). */
  { name: 'changed_at', type: 'timestamp' },
];

/** One `audience_state` row. */
export interface AudienceState {
  audience: string;
  built_at: Date;
  size: number;
  fingerprint: string;
  changed_at: Date;
}

/** What to record per built audience: its size and fingerprint (an `AudienceMeasure` fits). */
export interface MeasuredAudience {
  name: string;
  size: number;
  fingerprint: string;
}

/** `<state_schema>.audience_state`. */
export function audienceStateRelation(project: Project): RelationRef {
  return { schema: project.config.state_schema, name: 'audience_state' };
}

/**
 * Upserts one `audience_state` row per measured audience: size and fingerprint now, `changed_at`
 * moved to `builtAt` only when the fingerprint differs from the stored one. Rows of audiences
 * that are no longer in the project are removed.
 */
export async function recordAudienceState(
  warehouse: Warehouse,
  project: Project,
  measured: MeasuredAudience[],
  builtAt: Date = new Date(),
): Promise<void> {
  const { dialect } = warehouse;
  const state = audienceStateRelation(project);
  await warehouse.execute(dialect.createSchema(state.schema));
  await warehouse.execute(dialect.createTable(state, AUDIENCE_STATE_COLUMNS, { primaryKey: ['audience'] }));
  const fresh = dialect.tempRelation('weft_audience_state_new');
  const selects = measured.map(
    (a) =>
      `SELECT ${dialect.literal(a.name)} AS audience, ${dialect.cast(dialect.literal(a.size), 'bigint')} AS size, ${dialect.cast(dialect.literal(a.fingerprint), 'string')} AS fingerprint`,
  );
  const names = AUDIENCE_STATE_COLUMNS.map((c) => c.name);
  const known = project.audiences.map((a) => dialect.literal(a.value.name));
  await warehouse.transaction(async () => {
    if (selects.length > 0) {
      // The measures (from the members table, see measure.ts) merged with the stored rows.
      await warehouse.execute(
        dialect.createTempTableAs(
          fresh,
          `SELECT n.audience, ${dialect.literal(builtAt)} AS built_at, n.size, n.fingerprint,
  CASE WHEN o.fingerprint = n.fingerprint THEN o.changed_at ELSE ${dialect.literal(builtAt)} END AS changed_at
FROM (${selects.join('\nUNION ALL\n')}) AS n
LEFT JOIN ${dialect.qualify(state)} AS o ON o.audience = n.audience`,
        ),
      );
      await warehouse.execute(dialect.deleteMatching(state, fresh, ['audience']));
      await warehouse.execute(
        dialect.insertSelect(state, names, `SELECT ${names.join(', ')} FROM ${dialect.qualify(fresh)}`),
      );
      await warehouse.execute(dialect.dropRelation(fresh, 'table'));
    }
    const gone = known.length > 0 ? ` WHERE audience NOT IN (${known.join(', ')})` : '';
    await warehouse.execute(`DELETE FROM ${dialect.qualify(state)}${gone}`);
  });
}

/** Every stored `audience_state` row by audience name; empty when nothing was recorded yet. */
export async function readAudienceState(
  warehouse: Warehouse,
  project: Project,
): Promise<Map<string, AudienceState>> {
  const { dialect } = warehouse;
  const state = audienceStateRelation(project);
  const exists = await warehouse.query(dialect.relationKindQuery(state));
  if (exists.length === 0) return new Map();
  const rows = await warehouse.query<Row>(
    `SELECT ${AUDIENCE_STATE_COLUMNS.map((c) => c.name).join(', ')} FROM ${dialect.qualify(state)}`,
  );
  return new Map(
    rows.map((row) => [
      String(row.audience),
      {
        audience: String(row.audience),
        built_at: row.built_at as Date,
        size: Number(row.size),
        fingerprint: String(row.fingerprint),
        changed_at: row.changed_at as Date,
      },
    ]),
  );
}
