/**
 * Lazy row generators: each walks the population once and yields rows one person at a time,
 * so memory stays bounded whatever the population size.
 */
import type { SeedContext } from './context.js';
import { makePerson } from './person.js';
import { type SeedTable, tableName } from './table.js';

/** Raw rows of one source table, values in column order. */
export function* sourceRows(ctx: SeedContext, table: SeedTable): Generator<unknown[]> {
  for (let index = 0; index < ctx.people; index++) {
    for (const row of table.rowsFor(ctx, makePerson(ctx, index))) yield row.values;
  }
}

/** `truth.row_person` rows (source_table, row_key, person_id) for one source table. */
export function* rowPersonRows(ctx: SeedContext, table: SeedTable): Generator<unknown[]> {
  const name = tableName(table);
  for (let index = 0; index < ctx.people; index++) {
    const person = makePerson(ctx, index);
    for (const row of table.rowsFor(ctx, person)) yield [name, row.key, person.personId];
  }
}

/** `truth.people` rows: canonical identity of every person. */
export function* truthPeopleRows(ctx: SeedContext): Generator<unknown[]> {
  for (let index = 0; index < ctx.people; index++) {
    const person = makePerson(ctx, index);
    yield [person.personId, person.firstName, person.lastName, person.personalEmail, `+1${person.phone}`];
  }
}
