/** Exact numbers and JSON without rounding (src/warehouse/exact-number.ts, exact-json.ts). */
import { describe, expect, it } from 'vitest';
import { coerceField } from '../../src/sync/mapping/coerce.js';
import { mappingHelpers } from '../../src/sync/mapping/helpers.js';
import { exactJson, parseExactJson } from '../../src/warehouse/exact-json.js';
import { canonicalDecimal, ExactNumber, exactNumber, exactScaled } from '../../src/warehouse/exact-number.js';

describe('exact numbers', () => {
  it('canonicalises decimal text', () => {
    expect(canonicalDecimal('+0012.3400')).toBe('12.34');
    expect(canonicalDecimal('1.5e3')).toBe('1500');
    expect(canonicalDecimal('-0.000')).toBe('0');
    expect(canonicalDecimal('12e-3')).toBe('0.012');
    expect(canonicalDecimal('abc')).toBeUndefined();
    expect(canonicalDecimal('.')).toBeUndefined();
  });

  it('gives a number only when the double holds the value exactly', () => {
    expect(exactNumber('12.50')).toBe(12.5);
    expect(exactNumber('9007199254740993')).toBe(9007199254740993n);
    expect(exactNumber('12345678901234567890.1234567891')).toEqual(
      new ExactNumber('12345678901234567890.1234567891'),
    );
    expect(exactNumber('0.1000000000000000055511151231257827')).toBeInstanceOf(ExactNumber);
    expect(exactNumber('NaN')).toBeNaN();
    expect(exactNumber('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
  });

  it('reads scaled integers (DuckDB DECIMAL) the same way, fast path or not', () => {
    expect(exactScaled(1250n, 2)).toBe(12.5);
    expect(exactScaled(-5n, 3)).toBe(-0.005);
    expect(exactScaled(123456789012345678901234567891n, 10)).toEqual(
      new ExactNumber('12345678901234567890.1234567891'),
    );
    expect(exactScaled(12345678901234567890000000000n, 10)).toBe(1234567890123456789n);
  });

  it('prints its digits in text contexts and approximates in arithmetic', () => {
    const value = new ExactNumber('12345678901234567890.5');
    expect(`${value}`).toBe('12345678901234567890.5');
    expect(`x${value}`).toBe('x12345678901234567890.5');
    expect(Number(value)).toBe(12345678901234567000);
    expect(JSON.stringify({ value })).toBe('{"value":"12345678901234567890.5"}');
  });
});

describe('exact JSON', () => {
  it('writes bigints and ExactNumbers as exact JSON numbers, the rest as JSON.stringify does', () => {
    const value = {
      a: 2n ** 70n,
      b: new ExactNumber('-0.12345678901234567890123'),
      c: [1.5, 'text', null, new Date('2024-01-02T00:00:00Z')],
      d: '\u0000weft-exact-0:1',
    };
    expect(exactJson(value)).toBe(
      '{"a":1180591620717411303424,"b":-0.12345678901234567890123,"c":[1.5,"text",null,"2024-01-02T00:00:00.000Z"],"d":"\\u0000weft-exact-0:1"}',
    );
    expect(exactJson(12n)).toBe('12');
    expect(exactJson(undefined)).toBe('null');
  });

  it('reads numbers a double would round exactly, and everything else like JSON.parse', () => {
    const text =
      '{"big":12345678901234567890123,"dec":0.12345678901234567890,"s":"12345678901234567890123","small":[1,2.5,-3e2],"ok":1.2345678901234567}';
    const value = parseExactJson(text) as Record<string, unknown>;
    expect(value.big).toBe(12345678901234567890123n);
    expect(value.dec).toEqual(new ExactNumber('0.1234567890123456789'));
    expect(value.s).toBe('12345678901234567890123');
    expect(value.small).toEqual([1, 2.5, -300]);
    expect(value.ok).toBe(1.2345678901234567);
    expect(exactJson(value)).toBe(
      '{"big":12345678901234567890123,"dec":0.1234567890123456789,"s":"12345678901234567890123","small":[1,2.5,-300],"ok":1.2345678901234567}',
    );
    expect(parseExactJson('{"a":"x\\"12345678901234567890123"}')).toEqual({ a: 'x"12345678901234567890123' });
    expect(() => parseExactJson('{"a":12345678901234567890123,}')).toThrow(SyntaxError);
  });
});

describe('one rule per field type', () => {
  const dec = new ExactNumber('12345678901234567890.1234567891');
  it('number and integer fields keep numbers exact; string fields get the exact text', () => {
    expect(coerceField(dec, { type: 'number' })).toEqual({ ok: true, value: dec });
    expect(coerceField(2n ** 64n, { type: 'integer' })).toEqual({ ok: true, value: 2n ** 64n });
    expect(coerceField(42n, { type: 'integer' })).toEqual({ ok: true, value: 42 });
    expect(coerceField('12345678901234567890123', { type: 'number' })).toEqual({
      ok: true,
      value: 12345678901234567890123n,
    });
    expect(coerceField(dec, { type: 'integer' })).toMatchObject({ ok: false });
    expect(coerceField(dec, { type: 'string' })).toEqual({ ok: true, value: dec.text });
    expect(coerceField(2n ** 64n, { type: 'string' })).toEqual({ ok: true, value: '18446744073709551616' });
    expect(coerceField({ n: 2n ** 64n }, { type: 'string' })).toEqual({
      ok: true,
      value: '{"n":18446744073709551616}',
    });
  });

  it('round and json helpers keep the digits', () => {
    const round = mappingHelpers.round as (v: unknown, d?: unknown) => unknown;
    expect(String(round(dec, 2))).toBe('12345678901234567890.12');
    expect(String(round(new ExactNumber('12345678901234567890.125'), 2))).toBe('12345678901234567890.13');
    expect(String(round(new ExactNumber('-12345678901234567890.125'), 2))).toBe('-12345678901234567890.12');
    expect(round(2n ** 64n, 0)).toBe(2n ** 64n);
    expect(round(1.26, 1)).toBe(1.3);
    expect((mappingHelpers.json as (v: unknown) => unknown)({ dec })).toBe(`{"dec":${dec.text}}`);
  });
});
