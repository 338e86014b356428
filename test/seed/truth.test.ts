import { describe, expect, it } from 'vitest';
import {
  allRowPersonRows,
  rowPersonRows,
  SOURCE_TABLES,
  sourceRows,
  tableName,
  truthPeopleRows,
} from '../../src/seed/index.js';
import { smallContext } from './helpers.js';

const ctx = smallContext(2_000);

describe('seed ground truth', () => {
  it.each(SOURCE_TABLES.map((t) => [tableName(t), t] as const))(
    'maps every row of %s to exactly one person',
    (_name, table) => {
      const keyIndex = table.columns.findIndex((c) => c.name === table.keyColumn);
      const rawKeys = [...sourceRows(ctx, table)].map((row) => String(row[keyIndex]));
      const truth = [...rowPersonRows(ctx, table)];
      expect(rawKeys.length).toBeGreaterThan(0);
      expect(new Set(rawKeys).size).toBe(rawKeys.length);
      expect(truth.map((r) => r[1])).toEqual(rawKeys);
      expect(truth.every((r) => r[0] === tableName(table))).toBe(true);
      expect(
        truth.every((r) => Number.isInteger(r[2]) && (r[2] as number) >= 1 && (r[2] as number) <= 2_000),
      ).toBe(true);
    },
  );

  it('lists every person once with a unique email and phone', () => {
    const people = [...truthPeopleRows(ctx)];
    expect(people).toHaveLength(2_000);
    expect(new Set(people.map((p) => p[0])).size).toBe(2_000);
    expect(new Set(people.map((p) => p[3])).size).toBe(2_000);
    expect(new Set(people.map((p) => p[4])).size).toBe(2_000);
    expect(people.every((p) => /^\+1\d{10}$/.test(String(p[4])))).toBe(true);
  });

  it('lands near the intended sizes per person', () => {
    const perPerson = (name: string) => {
      const table = SOURCE_TABLES.find((t) => tableName(t) === name)!;
      let n = 0;
      for (const _ of sourceRows(ctx, table)) n++;
      return n / ctx.people;
    };
    expect(perPerson('raw.customers')).toBeGreaterThan(0.6);
    expect(perPerson('raw.customers')).toBeLessThan(0.8);
    expect(perPerson('raw.orders')).toBeGreaterThan(1.5);
    expect(perPerson('raw.events')).toBeGreaterThan(6);
    expect(perPerson('raw.events')).toBeLessThan(10);
    expect(perPerson('raw.app_events')).toBeGreaterThan(2);
    expect(perPerson('raw.app_events')).toBeLessThan(4);
  });
});

describe('seed population slices', () => {
  it('yields the same rows whether generated at once or slice by slice', () => {
    for (const table of SOURCE_TABLES) {
      const whole = [...sourceRows(ctx, table)];
      const sliced = [0, 700, 1_400].flatMap((from) => [...sourceRows(ctx, table, { from, to: from + 700 })]);
      expect(sliced).toEqual(whole);
    }
    const allTruth = [...allRowPersonRows(ctx, SOURCE_TABLES)];
    const perTable = SOURCE_TABLES.flatMap((t) => [...rowPersonRows(ctx, t)]);
    expect(allTruth.length).toBe(perTable.length);
    expect(new Set(allTruth.map((r) => JSON.stringify(r)))).toEqual(
      new Set(perTable.map((r) => JSON.stringify(r))),
    );
  });
});
