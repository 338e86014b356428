/**
 * Lazy row generators: each walks a slice of the population [from, to) and yields rows one
 * person at a time, so memory stays bounded whatever the population size.
 */
import type { SeedContext } from './context.js';
import { makePerson } from './person.js';
import { type SeedTable, tableName } from './table.js';

/** A slice of the population by person index; defaults to everyone. */
export interface PeopleSlice {
  from?: number;
  to?: number;
}

function bounds(ctx: SeedContext, slice: PeopleSlice): [number, number] {
  return [slice.from ?? 0, Math.min(slice.to ?? ctx.people, ctx.people)];
}

/** Raw rows of one source table, values in column order. */
export function* sourceRows(
  ctx: SeedContext,
  table: SeedTable,
  slice: PeopleSlice = {},
): Generator<unknown[]> {
  const [from, to] = bounds(ctx, slice);
  for (let index = from; index < to; index++) {
    for (const row of table.rowsFor(ctx, makePerson(ctx, index))) yield row.values;
  }
}

/** `truth.row_person` rows (source_table, row_key, person_id) for one source table. */
export function* rowPersonRows(
  ctx: SeedContext,
  table: SeedTable,
  slice: PeopleSlice = {},
): Generator<unknown[]> {
  const [from, to] = bounds(ctx, slice);
  const name = tableName(table);
  for (let index = from; index < to; index++) {
    const person = makePerson(ctx, index);
    for (const row of table.rowsFor(ctx, person)) yield [name, row.key, person.personId];
  }
}

/**
 * `truth.row_person` rows for several source tables in one walk over the population
 * (person-major order): one person build per person instead of one per table.
 */
export function* allRowPersonRows(
  ctx: SeedContext,
  tables: readonly SeedTable[],
  slice: PeopleSlice = {},
): Generator<unknown[]> {
  const [from, to] = bounds(ctx, slice);
  const names = tables.map(tableName);
  for (let index = from; index < to; index++) {
    const person = makePerson(ctx, index);
    for (let t = 0; t < tables.length; t++) {
      for (const row of (tables[t] as SeedTable).rowsFor(ctx, person))
        yield [names[t], row.key, person.personId];
    }
  }
}

/** `truth.people` rows: canonical identity of every person. */
export function* truthPeopleRows(ctx: SeedContext, slice: PeopleSlice = {}): Generator<unknown[]> {
  const [from, to] = bounds(ctx, slice);
  for (let index = from; index < to; index++) {
    const person = makePerson(ctx, index);
    yield [person.personId, person.firstName, person.lastName, person.personalEmail, `+1${person.phone}`];
  }
}
