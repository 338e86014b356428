import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileMappings } from '../../src/sync/mapping/compile.js';
import { SyncConfigError } from '../../src/sync/resolve.js';

const columns = ['email', 'first_name', 'ltv', 'updated_at', 'tags'];
const row = {
  email: '  Ann@Example.COM ',
  first_name: null,
  ltv: 1234.5678,
  updated_at: new Date('2024-03-05T06:07:08.009Z'),
  tags: ['a', 'b'],
};

describe('mappings', () => {
  it('maps columns and typed single-expression templates with every helper', () => {
    const mapper = compileMappings(
      {
        email: '{{lower (trim email)}}',
        name: "{{default first_name 'friend'}}",
        ltv: '{{round ltv 2}}',
        day: "{{date updated_at 'YYYY-MM-DD'}}",
        epoch: "{{date updated_at 'unix'}}",
        shout: '{{upper first_name}}',
        hashed: '{{sha256 (lower (trim email))}}',
        tags: '{{json tags}}',
        label: "{{concat 'ltv:' (round ltv 0)}}",
        sentence: 'Hi {{default first_name "there"}}, you spent {{round ltv 1}}',
        raw: 'updated_at',
      },
      columns,
      undefined,
    );
    expect(mapper.columns).toEqual(['email', 'first_name', 'ltv', 'tags', 'updated_at']);
    const mapped = mapper.map(row);
    expect(mapped).toEqual({
      ok: true,
      fields: {
        email: 'ann@example.com',
        name: 'friend',
        ltv: 1234.57,
        day: '2024-03-05',
        epoch: 1709618828,
        shout: null,
        hashed: createHash('sha256').update('ann@example.com').digest('hex'),
        tags: '["a","b"]',
        label: 'ltv:1235',
        sentence: 'Hi there, you spent 1234.6',
        raw: '2024-03-05T06:07:08.009Z',
      },
    });
  });

  it('sends every column under its own name when there are no mappings', () => {
    const mapper = compileMappings({}, ['email', 'ltv'], undefined);
    expect(mapper.map({ email: 'a', ltv: 10n })).toEqual({ ok: true, fields: { email: 'a', ltv: 10 } });
  });

  it('refuses unknown columns, helpers and fields up front', () => {
    expect(() => compileMappings({ e: 'mail' }, columns, undefined)).toThrow(/unknown column 'mail'/);
    expect(() => compileMappings({ e: '{{lower mail}}' }, columns, undefined)).toThrow(
      /unknown column 'mail'/,
    );
    expect(() => compileMappings({ e: '{{shout email}}' }, columns, undefined)).toThrow(
      /unknown helper 'shout'/,
    );
    expect(() => compileMappings({ e: '{{#if email}}' }, columns, undefined)).toThrow(SyncConfigError);
    expect(() => compileMappings({ nope: 'email' }, columns, { email: { type: 'string' } })).toThrow(
      /no such field/,
    );
    expect(() =>
      compileMappings({ email: 'email' }, columns, {
        email: { type: 'string' },
        id: { type: 'string', required: true },
      }),
    ).toThrow(/requires field id/);
  });

  it('changes its fingerprint with the mapping text', () => {
    const a = compileMappings({ e: 'email' }, columns, undefined);
    const b = compileMappings({ e: '{{lower email}}' }, columns, undefined);
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(compileMappings({ e: 'email' }, columns, undefined).fingerprint).toBe(a.fingerprint);
  });

  it('casts to the declared field types and rejects what does not fit, with the reason', () => {
    const fields = {
      email: { type: 'string' as const, required: true, maxLength: 20 },
      ltv: { type: 'integer' as const },
      score: { type: 'number' as const },
      vip: { type: 'boolean' as const },
      seen: { type: 'date' as const },
    };
    const mapper = compileMappings(
      { email: 'email', ltv: '{{round ltv}}', score: 'ltv', vip: 'vip', seen: 'updated_at' },
      [...columns, 'vip'],
      fields,
    );
    expect(mapper.map({ ...row, vip: 'yes' })).toEqual({
      ok: true,
      fields: { email: '  Ann@Example.COM ', ltv: 1235, score: 1234.5678, vip: true, seen: '2024-03-05' },
    });
    expect(mapper.map({ ...row, email: null, vip: true })).toEqual({
      ok: false,
      reason: "field 'email' is required but empty",
    });
    expect(mapper.map({ ...row, email: 'x'.repeat(21), vip: true })).toEqual({
      ok: false,
      reason: "field 'email' is 21 characters, more than the 20 allowed",
    });
    expect(mapper.map({ ...row, vip: 'maybe' })).toEqual({
      ok: false,
      reason: "field 'vip' 'maybe' is not a boolean",
    });
    expect(mapper.map({ ...row, vip: true, updated_at: 'soon' })).toEqual({
      ok: false,
      reason: "field 'seen' 'soon' is not a date",
    });
  });
});
