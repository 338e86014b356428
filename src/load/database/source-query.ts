/**
 * The SQL a database load runs on its source: the table or query, bounded by the cursor (rows
 * above the stored value, up to the maximum seen when the load began), built with knex so
 * identifiers are quoted the source's way.
 */
import type { Knex } from 'knex';
import type { ColumnKind } from './column-plan.js';

/** What is read: a table or a query, with an optional cursor range. */
export interface SourceSelect {
  table?: string;
  query?: string;
  cursor?: {
    column: string;
    kind: ColumnKind;
    /** Read rows above this value (exact text); absent: from the start. */
    after?: string;
    /** `>=` instead of `>`: rows sharing the stored value are read again (upsert makes it harmless). */
    inclusive: boolean;
    /** Read rows up to this value (exact text); null: the cursor column holds no value yet. */
    upTo?: string | null;
  };
}

/** The table or query, as a knex FROM. */
export function fromSource(knex: Knex, select: Pick<SourceSelect, 'table' | 'query'>): Knex.QueryBuilder {
  if (select.table) return knex.select('*').from(select.table);
  const query = (select.query ?? '').trim().replace(/;+\s*$/, '');
  return knex.select('*').from(knex.raw(`(${query}) as weft_q`));
}

/** A cursor value as SQL: numbers inline (exact comparison, no float coercion), the rest bound as text. */
function cursorValue(knex: Knex, kind: ColumnKind, value: string): Knex.Raw {
  const numeric = kind === 'integer' || kind === 'bigint' || kind === 'decimal' || kind === 'double';
  if (numeric && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value)) return knex.raw(value);
  return knex.raw('?', [value]);
}

/** The rows to read. */
export function selectRows(knex: Knex, select: SourceSelect): Knex.QueryBuilder {
  const builder = fromSource(knex, select);
  const cursor = select.cursor;
  if (!cursor) return builder;
  if (cursor.upTo === null) return builder.whereRaw('1 = 0'); // nothing has a cursor value yet
  if (cursor.after !== undefined) {
    builder.where(cursor.column, cursor.inclusive ? '>=' : '>', cursorValue(knex, cursor.kind, cursor.after));
  }
  if (cursor.upTo !== undefined) {
    const upTo = cursorValue(knex, cursor.kind, cursor.upTo);
    // A full read keeps the rows whose cursor is still NULL; increments cannot see them.
    if (cursor.after === undefined)
      builder.where((w) => w.where(cursor.column, '<=', upTo).orWhereNull(cursor.column));
    else builder.where(cursor.column, '<=', upTo);
  }
  return builder;
}

/** `SELECT max(cursor)` over the rows above the stored value. */
export function maxCursor(
  knex: Knex,
  select: SourceSelect & { cursor: NonNullable<SourceSelect['cursor']> },
) {
  const { upTo: _ignored, ...cursor } = select.cursor;
  return knex.max({ weft_max: cursor.column }).from(selectRows(knex, { ...select, cursor }).as('weft_c'));
}
