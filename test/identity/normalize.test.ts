import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdType } from '../../src/identity/context.js';
import { buildIdentity, normalizeExpr } from '../../src/identity/index.js';
import { phoneStrictlyValid, phoneStrictlyValidSql } from '../../src/identity/normalize.js';
import { identityProject, loadRows, type TempWarehouse, tempWarehouse } from './helpers.js';

let tw: TempWarehouse;
beforeAll(async () => {
  tw = await tempWarehouse();
});
afterAll(async () => tw.dispose());

const email: IdType = {
  name: 'email',
  priority: 0,
  normalize: 'email',
  hubThreshold: 10,
  sharedThreshold: 3,
};
const phone: IdType = {
  name: 'phone',
  priority: 1,
  normalize: 'phone',
  defaultCountryCode: '1',
  hubThreshold: 10,
  sharedThreshold: 3,
};
const other: IdType = { name: 'user_id', priority: 2, hubThreshold: 10, sharedThreshold: 3 };

async function normalized(type: IdType, values: string[]): Promise<Array<string | null>> {
  const d = tw.warehouse.dialect;
  const select = values.map((v, i) => `${normalizeExpr(d, type, d.literal(v))} AS c${i}`).join(', ');
  const [row] = await tw.warehouse.query(`SELECT ${select}`);
  return values.map((_, i) => (row?.[`c${i}`] as string | null) ?? null);
}

describe('email normalization', () => {
  it('lowercases, trims, strips mailto: and quotes', async () => {
    expect(
      await normalized(email, [
        ' Ann@Acme.COM ',
        '\tann@acme.com\n',
        'mailto:Ann@acme.com',
        '"ann@acme.com"',
        "'ann@acme.com'",
        '<ann@acme.com>',
      ]),
    ).toEqual(Array(6).fill('ann@acme.com'));
  });

  it('drops dots and +tags in gmail local parts and maps googlemail.com to gmail.com', async () => {
    expect(
      await normalized(email, [
        'Ann.Lee@gmail.com',
        'annlee+shop@gmail.com',
        'a.n.n.l.e.e+x+y@googlemail.com',
      ]),
    ).toEqual(Array(3).fill('annlee@gmail.com'));
    // only gmail: other domains keep dots and tags
    expect(await normalized(email, ['ann.lee+news@acme.com'])).toEqual(['ann.lee+news@acme.com']);
  });

  it('requires one @ and a dotted domain', async () => {
    expect(
      await normalized(email, [
        'ann',
        'ann@acme',
        'a@b@acme.com',
        '@acme.com',
        'ann@acme.',
        'an n@acme.com',
        '+x@gmail.com',
        '',
      ]),
    ).toEqual(Array(8).fill(null));
  });
});

describe('phone normalization', () => {
  it('turns US formats into E.164 with the default country code', async () => {
    expect(
      await normalized(phone, [
        '(415) 555-2671',
        '+1 415-555-2671',
        '4155552671',
        '415.555.2671',
        ' 1-415-555-2671 ',
        '+14155552671',
        '0014155552671',
      ]),
    ).toEqual(Array(7).fill('+14155552671'));
  });

  it('keeps other international numbers given with + or 00', async () => {
    expect(await normalized(phone, ['+44 20 7946 0958', '0044 20 7946 0958', '+33 6 12 34 56 78'])).toEqual([
      '+442079460958',
      '+442079460958',
      '+33612345678',
    ]);
  });

  it('keeps possible numbers that break the numbering plan (an exchange starting with 0 or 1)', async () => {
    expect(await normalized(phone, ['(415) 055-2671', '+1 415 155 2671', '4151552671'])).toEqual([
      '+14150552671',
      '+14151552671',
      '+14151552671',
    ]);
  });

  it('flags strict validity separately: only plan-valid numbers pass', async () => {
    const d = tw.warehouse.dialect;
    const values = ['+14155552671', '+14150552671', '+14151552671', '+442079460958'];
    const select = values.map((v, i) => `${phoneStrictlyValidSql(d, d.literal(v))} AS c${i}`).join(', ');
    const [row] = await tw.warehouse.query(`SELECT ${select}`);
    const inSql = values.map((_, i) => Boolean(row?.[`c${i}`]));
    expect(inSql).toEqual([true, false, false, true]);
    expect(values.map(phoneStrictlyValid)).toEqual(inSql);
  });

  it('rejects impossible lengths and shapes', async () => {
    expect(
      await normalized(phone, ['555-5555', '12', '+1 415 555 26711', '+1 015 555 2671', 'n/a', '']),
    ).toEqual(Array(6).fill(null));
  });
});

describe('other ids', () => {
  it('are trimmed, keep their case, and empty becomes NULL', async () => {
    expect(await normalized(other, ['  AbC-1 ', '   ', ''])).toEqual(['AbC-1', null, null]);
  });
});

describe('junk and blocklist in a build', () => {
  it('marks junk, invalid and blocklisted occurrences and keeps raw values', async () => {
    const t = new Date(Date.UTC(2024, 0, 1));
    const rows: Array<[string | null, string | null, string | null]> = [
      ['u1', 'test@test.com', '0000000000'],
      ['u2', 'NULL', '1234567890'],
      ['u3', 'noreply@shop.io', '555-5555'],
      ['u4', 'x@blocked.io', '(212) 555-0123'],
      ['u5', 'not-an-email', '+1 212 555 1111'],
      ['u6', 'Real@Acme.com', '415 555 2671'],
      ['null', 'VIP@Acme.com', null],
    ];
    await loadRows(
      tw.warehouse,
      'people',
      ['user_id', 'email', 'phone'],
      rows.map((r) => [...r, t]),
    );
    const project = identityProject(tw.dir, ['people'], {
      id_types: {
        user_id: {},
        email: { normalize: 'email' },
        phone: { normalize: 'phone', default_country_code: 1 },
      },
      blocklist: { email: ['*@BLOCKED.io', 'Vip@acme.com'], phone: ['+12125551111'] },
      sources: [
        { from: 'src.people', ids: { user_id: 'user_id', email: 'email', phone: 'phone' }, timestamp: 'ts' },
      ],
    });
    const report = await buildIdentity(project, tw.warehouse);
    const occ = await tw.warehouse.query(
      `SELECT id_type, raw_value, id_value, excluded_reason FROM weft.identity_occurrences WHERE id_type <> 'user_id' OR raw_value = 'null' ORDER BY id_type, raw_value`,
    );
    const reasons = Object.fromEntries(
      occ.map((r) => [`${r.id_type}:${r.raw_value}`, r.excluded_reason ?? 'used']),
    );
    expect(reasons).toEqual({
      'email:NULL': 'junk',
      'email:Real@Acme.com': 'used',
      'email:VIP@Acme.com': 'blocklist',
      'email:noreply@shop.io': 'junk',
      'email:not-an-email': 'invalid',
      'email:test@test.com': 'junk',
      'email:x@blocked.io': 'blocklist',
      'phone:(212) 555-0123': 'junk',
      'phone:+1 212 555 1111': 'blocklist',
      'phone:0000000000': 'junk',
      'phone:1234567890': 'junk',
      'phone:415 555 2671': 'used',
      'phone:555-5555': 'junk',
      'user_id:null': 'junk',
    });
    expect(occ.find((r) => r.raw_value === 'Real@Acme.com')?.id_value).toBe('real@acme.com');
    expect(report.values_blocked).toBe(11);
    const map = await tw.warehouse.query(
      `SELECT id_type, id_value FROM weft.identity_map WHERE id_type <> 'user_id' ORDER BY 1`,
    );
    expect(map).toEqual([
      { id_type: 'email', id_value: 'real@acme.com' },
      { id_type: 'phone', id_value: '+14155552671' },
    ]);
  });
});
