import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { buildDag, topologicalOrder } from '../../src/compiler/dag.js';
import { CompileError } from '../../src/compiler/errors.js';
import { selectModels } from '../../src/compiler/select.js';
import { duckdbDialect } from '../../src/warehouse/duckdb/dialect.js';
import { makeProject } from './project-fixture.js';

/** A diamond with a tail and an unrelated model: root → (left, right) → joined → report; other. */
const diamond = buildDag([
  { name: 'report', path: 'models/report.sql', refs: ['joined'] },
  { name: 'joined', path: 'models/joined.sql', refs: ['right', 'left'] },
  { name: 'right', path: 'models/right.sql', refs: ['root'] },
  { name: 'left', path: 'models/left.sql', refs: ['root'] },
  { name: 'root', path: 'models/root.sql', refs: [] },
  { name: 'other', path: 'models/other.sql', refs: [] },
]);

function cycleMessage(models: Array<{ name: string; refs: string[] }>): string {
  const dag = buildDag(models.map((m) => ({ ...m, path: `models/${m.name}.sql` })));
  try {
    topologicalOrder(dag);
  } catch (error) {
    if (error instanceof CompileError) return error.message;
    throw error;
  }
  throw new Error('expected a cycle error');
}

describe('DAG order', () => {
  it('puts parents first and breaks ties by name', () => {
    expect(topologicalOrder(diamond)).toEqual(['other', 'root', 'left', 'right', 'joined', 'report']);
  });

  it('does not depend on the order models are listed in', () => {
    const shuffled = buildDag(
      ['other', 'joined', 'root', 'report', 'left', 'right'].map((name) => ({
        name,
        path: `models/${name}.sql`,
        refs: [...diamond.parents.get(name)!],
      })),
    );
    expect(topologicalOrder(shuffled)).toEqual(topologicalOrder(diamond));
  });

  it('compileProject returns models in that order', () => {
    const project = makeProject({
      z_first: { sql: 'select 1 as id' },
      a_second: { sql: "select * from {{ref 'z_first'}}" },
    });
    const compiled = compileProject(project, duckdbDialect);
    expect(compiled.order).toEqual(['z_first', 'a_second']);
    expect(compiled.models.map((m) => m.name)).toEqual(compiled.order);
  });
});

describe('cycles', () => {
  it('names the cycle path with files', () => {
    expect(
      cycleMessage([
        { name: 'a', refs: ['b'] },
        { name: 'b', refs: ['a'] },
      ]),
    ).toBe('models/a.sql: cycle: a (models/a.sql) → b (models/b.sql) → a (models/a.sql)');
  });

  it('reports a longer cycle in dependency order, ignoring models outside it', () => {
    // c reads b, b reads a, a reads c: data flows a → b → c → a.
    expect(
      cycleMessage([
        { name: 'ok', refs: [] },
        { name: 'a', refs: ['c', 'ok'] },
        { name: 'b', refs: ['a'] },
        { name: 'c', refs: ['b'] },
        { name: 'after', refs: ['c'] },
      ]),
    ).toBe('models/a.sql: cycle: a (models/a.sql) → b (models/b.sql) → c (models/c.sql) → a (models/a.sql)');
  });

  it('a model that refs itself is a cycle', () => {
    expect(cycleMessage([{ name: 'self', refs: ['self'] }])).toBe(
      'models/self.sql: cycle: self (models/self.sql) → self (models/self.sql)',
    );
  });

  it('compileProject rejects cyclic refs', () => {
    const project = makeProject({
      a: { sql: "select * from {{ref 'b'}}" },
      b: { sql: "select * from {{ref 'a'}}" },
    });
    expect(() => compileProject(project, duckdbDialect)).toThrow(/cycle: a \(models\/a\.sql\) → b/);
  });
});

describe('--select', () => {
  const pick = (selector: string) => [...selectModels(diamond, selector)].sort();

  it('a name selects only that model', () => {
    expect(pick('joined')).toEqual(['joined']);
  });

  it('+name adds ancestors, name+ adds descendants, +name+ both', () => {
    expect(pick('+joined')).toEqual(['joined', 'left', 'right', 'root']);
    expect(pick('left+')).toEqual(['joined', 'left', 'report']);
    expect(pick('+left+')).toEqual(['joined', 'left', 'report', 'root']);
  });

  it('unites comma and space separated terms', () => {
    expect(pick('other, right+')).toEqual(['joined', 'other', 'report', 'right']);
    expect(pick('other report')).toEqual(['other', 'report']);
  });

  it('unknown names are errors with a suggestion', () => {
    expect(() => pick('other,joind+')).toThrow("--select: 'joind' is not a model (did you mean 'joined'?)");
    expect(() => pick(' , ')).toThrow(/empty selection/);
  });
});
