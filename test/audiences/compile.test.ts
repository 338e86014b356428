/** compileAudiences: dependency order, cycles and the errors that name the file and the fix. */
import { describe, expect, it } from 'vitest';
import { AudienceError, compileAudiences, compileEach } from '../../src/audiences/index.js';
import { duckdbDialect } from '../../src/warehouse/duckdb/dialect.js';
import { AS_OF, projectWith } from './fixture.js';

const pro = { trait: 'plan', op: 'eq', value: 'pro' };
const compile = (audiences: Record<string, unknown>) =>
  compileAudiences(projectWith(audiences), duckdbDialect, { asOf: AS_OF });
const errorOf = (audiences: Record<string, unknown>) => {
  try {
    compile(audiences);
  } catch (error) {
    expect(error).toBeInstanceOf(AudienceError);
    return (error as Error).message;
  }
  throw new Error('expected an AudienceError');
};

describe('compileAudiences', () => {
  it('orders an audience after the audiences it reads (where and exclude), ties in file order', () => {
    const compiled = compile({
      a_top: { where: { all: [{ audience: 'c_base' }, { not: { audience: 'b_mid' } }] } },
      b_mid: { where: { audience: 'c_base' }, exclude: { audience: 'd_leaf' } },
      c_base: { where: pro },
      d_leaf: { where: pro },
      e_free: { where: pro },
    });
    expect(compiled.map((a) => a.name)).toEqual(['c_base', 'd_leaf', 'b_mid', 'a_top', 'e_free']);
    expect(compiled.find((a) => a.name === 'a_top')?.dependsOn).toEqual(['b_mid', 'c_base']);
    expect(compiled.find((a) => a.name === 'b_mid')?.dependsOn).toEqual(['c_base', 'd_leaf']);
  });

  it('names every file of a cycle, and what depends on it', () => {
    const message = errorOf({
      a: { where: { audience: 'b' } },
      b: { where: { any: [pro, { audience: 'a' }] } },
      c: { where: { audience: 'a' } },
      d: { where: pro },
    });
    expect(message).toContain(
      "models/audiences/a.yml: audience 'a': audiences depend on each other in a cycle: a (models/audiences/a.yml) → b (models/audiences/b.yml) → a (models/audiences/a.yml)",
    );
    expect(message).toContain("models/audiences/c.yml: audience 'c': depends on a cycle of audiences");
    expect(message).not.toContain("audience 'd'");
  });

  it('an audience reading itself is a cycle', () => {
    expect(errorOf({ me: { where: { not: { audience: 'me' } } } })).toContain(
      'in a cycle: me (models/audiences/me.yml) → me',
    );
  });

  it('names unknown traits, audiences and columns with the closest match', () => {
    expect(errorOf({ a: { where: { trait: 'lvt', op: 'gt', value: 1 } } })).toBe(
      "models/audiences/a.yml: audience 'a': unknown trait 'lvt' (did you mean 'ltv'?) (profiles.yml traits: ltv, plan, email, last_seen_at, renews_on, vip)",
    );
    expect(errorOf({ a: { where: { audience: 'prso' } }, pros: { where: pro } })).toBe(
      "models/audiences/a.yml: audience 'a': unknown audience 'prso' (did you mean 'pros'?)",
    );
    expect(errorOf({ a: { where: pro, columns: ['emial'] } })).toContain("columns: 'emial' is not a trait");
    expect(errorOf({ a: { where: pro, columns: ['email', 'email'] } })).toContain(
      "columns: 'email' is listed twice",
    );
    expect(errorOf({ a: { where: pro, columns: ['profile_id'] } })).toContain(
      "'profile_id' is always the first column",
    );
  });

  it('rejects events that are not identity sources', () => {
    expect(errorOf({ a: { where: { event: 'shop.orders' } } })).toContain(
      "event 'shop.orders' is not an identity source, so its rows belong to no profile (identity.yml sources: app.events)",
    );
  });

  it('reports raw sql template problems with the file', () => {
    expect(errorOf({ a: { sql: "select profile_id from {{ref 'nope'}}" } })).toContain(
      "models/audiences/a.yml: audience 'a': sql: ref 'nope' is not a model",
    );
  });

  it('reports view names two audiences would both write', () => {
    const message = errorOf({
      exp: { where: pro, splits: { control: 50, test: 50 } },
      exp_control: { where: pro },
    });
    expect(message).toContain(
      "models/audiences/exp_control.yml: audience 'exp_control': view audience_exp_control is also written by audience 'exp' (models/audiences/exp.yml)",
    );
  });

  it('lets a condition read one split arm (`<audience>_<arm>`), depending on the audience', () => {
    const compiled = compile({
      exp: { where: pro, splits: { holdout: 20, rest: 80 } },
      targets: { where: pro, exclude: { audience: 'exp_holdout' } },
    });
    const targets = compiled.find((a) => a.name === 'targets')!;
    expect(targets.dependsOn).toEqual(['exp']);
    expect(targets.sql).toContain('"weft"."audience_exp_holdout"');
  });

  it('keeps good audiences when one is bad (compileEach), in dependency order', () => {
    const entries = compileEach(
      projectWith({
        bad: { where: { trait: 'nope', op: 'is_null' } },
        good: { where: pro },
        after: { where: { audience: 'bad' } },
      }),
      duckdbDialect,
      { asOf: AS_OF },
    );
    expect(entries.map((e) => [e.name, e.error === undefined])).toEqual([
      ['bad', false],
      ['good', true],
      ['after', true],
    ]);
  });

  it('needs profiles.yml', () => {
    const project = { ...projectWith({ a: { where: pro } }), profiles: undefined };
    expect(() => compileAudiences(project, duckdbDialect)).toThrow(/add models\/profiles.yml/);
  });

  it('compares with the as_of literal, or the engine clock when asOf is null', () => {
    const within = { a: { where: { trait: 'last_seen_at', op: 'within_days', value: 3 } } };
    const [pinned] = compile(within);
    expect(pinned!.sql).toContain(duckdbDialect.literal(AS_OF));
    const [live] = compileAudiences(projectWith(within), duckdbDialect, { asOf: null });
    expect(live!.sql).toContain(duckdbDialect.currentTimestamp());
    expect(live!.sql).not.toContain('2025');
  });
});
