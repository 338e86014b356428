/**
 * Identifiers a person's collected events tie to them before any build does. A visitor browses
 * under an anonymous id, then signs in: live identity stitches the two at once, but identity_map
 * holds the anonymous id only after the next `weft build`. An erasure filed in between must still
 * reach the visitor's anonymous events, so a request's suppressions gain the ids its events link:
 * - an anonymous id seen with the person's user id, when no other user id was ever seen with it
 *   (a shared computer's id is not the person's: erasing it would erase someone else);
 * - the user id of an anonymous id the request holds, when that anonymous id was seen with one
 *   user id only.
 * Repeated until nothing new is found (a few rounds at most). All in SQL: clear values stay in
 * the warehouse, only hashes are stored.
 */
import { relationColumns } from '../build/relations.js';
import type { RelationRef, Warehouse } from '../warehouse/types.js';
import { hashExpr } from './hash.js';
import type { PrivacyTables } from './tables.js';

/** The schema collected events land in. */
export const EVENTS_SCHEMA = 'events';

/** Event columns that identify a person. */
export const EVENT_PERSON_COLUMNS = ['user_id', 'anonymous_id'] as const;

/** An events table with the person columns it has. */
export interface EventTable {
  table: RelationRef;
  columns: string[];
}

/** The events schema's tables that carry a person column. */
export async function eventTables(warehouse: Warehouse): Promise<EventTable[]> {
  const d = warehouse.dialect;
  const rows = await warehouse.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = ${d.literal(EVENTS_SCHEMA)} AND table_type <> 'VIEW' ORDER BY table_name`,
  );
  const found: EventTable[] = [];
  for (const row of rows) {
    const table = { schema: EVENTS_SCHEMA, name: String(row.table_name) };
    const names = new Set((await relationColumns(warehouse, table)).map((c) => c.name));
    const columns = EVENT_PERSON_COLUMNS.filter((c) => names.has(c));
    if (columns.length > 0) found.push({ table, columns });
  }
  return found;
}

const MAX_ROUNDS = 4;

/**
 * Adds to `suppressions` the ids the requests' collected events link (see the file comment);
 * returns how many rows it added.
 */
export async function suppressLinkedEventIds(
  warehouse: Warehouse,
  tables: PrivacyTables,
  requestIds: string[],
  now: Date,
): Promise<number> {
  const both = (await eventTables(warehouse)).filter((t) => t.columns.length === EVENT_PERSON_COLUMNS.length);
  if (both.length === 0 || requestIds.length === 0) return 0;
  const d = warehouse.dialect;
  const single = singleOwnerPairs(warehouse, both, (column) => hashExpr(d, `e.${d.quoteIdent(column)}`));
  const held = `(SELECT DISTINCT request_id, id_hash FROM ${d.qualify(tables.suppressions)} WHERE request_id IN (${requestIds.map((id) => d.literal(id)).join(', ')}))`;
  const linked = `SELECT DISTINCT s.request_id, x.anonymous_id AS id_hash, 'anonymous_id' AS id_type
FROM ${held} AS s JOIN ${single} AS x ON x.user_id = s.id_hash
UNION
SELECT DISTINCT s.request_id, x.user_id AS id_hash, 'user_id' AS id_type
FROM ${held} AS s JOIN ${single} AS x ON x.anonymous_id = s.id_hash`;
  const fresh = `SELECT l.id_hash, l.id_type, l.request_id, ${d.literal(now)} AS created_at FROM (${linked}) AS l
WHERE NOT EXISTS (SELECT 1 FROM ${d.qualify(tables.suppressions)} AS t WHERE t.request_id = l.request_id AND t.id_hash = l.id_hash)`;
  let added = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const [row] = await warehouse.query(`SELECT count(*) AS n FROM (${fresh}) AS f`);
    const n = Number(row?.n ?? 0);
    if (n === 0) break;
    await warehouse.execute(
      d.insertSelect(tables.suppressions, ['id_hash', 'id_type', 'request_id', 'created_at'], fresh),
    );
    added += n;
  }
  return added;
}

/**
 * SQL: each anonymous id seen with one user id only, and that user id (columns `anonymous_id`,
 * `user_id`, both as `expr` gives them: a hash, or the normalized value), over every events table.
 */
function singleOwnerPairs(
  warehouse: Warehouse,
  tables: EventTable[],
  expr: (column: string) => string,
): string {
  const d = warehouse.dialect;
  const pairs = tables
    .map(
      ({ table }) =>
        `SELECT DISTINCT ${expr('user_id')} AS user_id, ${expr('anonymous_id')} AS anonymous_id FROM ${d.qualify(table)} AS e WHERE e.user_id IS NOT NULL AND e.anonymous_id IS NOT NULL`,
    )
    .join('\nUNION\n');
  return `(SELECT anonymous_id, min(user_id) AS user_id FROM (${pairs}) AS p GROUP BY anonymous_id HAVING count(DISTINCT user_id) = 1)`;
}

/**
 * The values (trimmed, lowercased) the collected events link to `values` by the same rule as
 * suppressLinkedEventIds: for an access request's export, so it shows the events an erasure
 * would delete. Only values not already in `values`.
 */
export async function linkedEventValues(
  warehouse: Warehouse,
  values: string[],
  tables?: EventTable[],
): Promise<string[]> {
  const both = (tables ?? (await eventTables(warehouse))).filter(
    (t) => t.columns.length === EVENT_PERSON_COLUMNS.length,
  );
  if (both.length === 0 || values.length === 0) return [];
  const d = warehouse.dialect;
  const norm = (sql: string) => `lower(trim(${d.cast(sql, 'string')}))`;
  const single = singleOwnerPairs(warehouse, both, (column) => norm(`e.${d.quoteIdent(column)}`));
  const known = new Set(values.map((v) => v.trim().toLowerCase()));
  const found: string[] = [];
  let frontier = [...known];
  for (let round = 0; round < MAX_ROUNDS && frontier.length > 0; round++) {
    const list = frontier.map((v) => d.literal(v)).join(', ');
    const rows = await warehouse.query(
      `SELECT x.anonymous_id AS v FROM ${single} AS x WHERE x.user_id IN (${list})
UNION SELECT x.user_id AS v FROM ${single} AS x WHERE x.anonymous_id IN (${list})`,
    );
    frontier = rows.map((r) => String(r.v)).filter((v) => !known.has(v));
    for (const v of frontier) {
      known.add(v);
      found.push(v);
    }
  }
  return found;
}
