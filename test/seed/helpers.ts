/** Shared helpers for the seed tests: hash and collect generated rows. */
import { createHash } from 'node:crypto';
import {
  allRowPersonRows,
  createSeedContext,
  rowPersonRows,
  type SeedContext,
  type SeedTable,
  SOURCE_TABLES,
  sourceRows,
  tableName,
  truthPeopleRows,
} from '../../src/seed/index.js';

/** sha256 over every generated row of every raw and truth table, in load order. */
export function hashAllRows(ctx: SeedContext): string {
  const hash = createHash('sha256');
  for (const table of SOURCE_TABLES) {
    hash.update(tableName(table));
    for (const row of sourceRows(ctx, table)) hash.update(JSON.stringify(row));
    for (const row of rowPersonRows(ctx, table)) hash.update(JSON.stringify(row));
  }
  for (const row of truthPeopleRows(ctx)) hash.update(JSON.stringify(row));
  for (const row of allRowPersonRows(ctx, SOURCE_TABLES)) hash.update(JSON.stringify(row));
  return hash.digest('hex');
}

/** All rows of one table as objects keyed by column name. */
export function rowObjects(ctx: SeedContext, table: SeedTable): Array<Record<string, unknown>> {
  const names = table.columns.map((c) => c.name);
  return [...sourceRows(ctx, table)].map((values) => Object.fromEntries(names.map((n, i) => [n, values[i]])));
}

/** The table with this `schema.name`. */
export function table(name: string): SeedTable {
  const found = SOURCE_TABLES.find((t) => tableName(t) === name);
  if (!found) throw new Error(`no seed table ${name}`);
  return found;
}

export const smallContext = (people = 3_000, seed = 42): SeedContext => createSeedContext({ people, seed });
