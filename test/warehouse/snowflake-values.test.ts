import { describe, expect, it } from 'vitest';
import { snowflakeTarget } from '../../src/warehouse/snowflake/connect-options.js';
import { toCsvField, ValueTypeError } from '../../src/warehouse/snowflake/csv-values.js';
import { openError } from '../../src/warehouse/snowflake/open-error.js';
import { resultKey } from '../../src/warehouse/snowflake/read-values.js';
import { splitStatements } from '../../src/warehouse/snowflake/split-statements.js';
import { WarehouseError } from '../../src/warehouse/types.js';
import { snowflakeColumnNames } from '../support/snowflake-emulator/rowset.js';

describe('splitStatements', () => {
  it('splits on semicolons outside strings, quoted names, dollar quotes and comments', () => {
    const sql = `SELECT 'a;b', 'it''s;', 'back\\';' AS "x;y"; -- c;d
      SELECT $$e;f$$ /* g;h */; ;  SELECT 1 // i;j
      `;
    expect(splitStatements(sql)).toEqual([
      `SELECT 'a;b', 'it''s;', 'back\\';' AS "x;y"`,
      '-- c;d\n      SELECT $$e;f$$ /* g;h */',
      'SELECT 1 // i;j',
    ]);
  });

  it('drops statements that are only comments or blanks', () => {
    expect(splitStatements(' ; -- nothing\n;/* x */')).toEqual([]);
  });
});

describe('toCsvField', () => {
  it('quotes text (so empty stays empty), leaves NULL empty and writes UTC timestamps', () => {
    expect(toCsvField('say "hi", ok\n', 'string')).toBe('"say ""hi"", ok\n"');
    expect(toCsvField('', 'string')).toBe('""');
    expect(toCsvField(null, 'string')).toBe('');
    expect(toCsvField(undefined, 'integer')).toBe('');
    expect(toCsvField(new Date('2024-01-02T03:04:05.678Z'), 'timestamp')).toBe('2024-01-02 03:04:05.678');
    expect(toCsvField('2024-01-02', 'date')).toBe('2024-01-02');
    expect(toCsvField(9007199254740993n, 'bigint')).toBe('9007199254740993');
  });

  it('writes non-finite doubles as Snowflake spells them and JSON as quoted text', () => {
    expect(toCsvField(Number.NaN, 'double')).toBe('NaN');
    expect(toCsvField(Number.NEGATIVE_INFINITY, 'double')).toBe('-inf');
    expect(toCsvField({ a: 1n, b: 'x' }, 'json')).toBe('"{""a"":1,""b"":""x""}"');
    expect(toCsvField(true, 'boolean')).toBe('true');
  });

  it('refuses values that do not fit the column type', () => {
    expect(() => toCsvField(1.5, 'integer')).toThrow(ValueTypeError);
    expect(() => toCsvField(2n ** 63n, 'bigint')).toThrow(ValueTypeError);
    expect(() => toCsvField('yes', 'boolean')).toThrow(ValueTypeError);
    expect(() => toCsvField('soon', 'timestamp')).toThrow(ValueTypeError);
  });
});

describe('snowflakeTarget', () => {
  it('password auth with the session settings and a secret-free description', () => {
    const target = snowflakeTarget(
      {
        type: 'snowflake',
        account: 'org-acct',
        user: 'weft',
        password: 's3cret',
        database: 'DB',
        role: 'R',
        accessUrl: 'http://x',
      },
      '/project',
    );
    expect(target.auth).toBe('password');
    expect(target.shown).toBe('weft@org-acct/DB');
    expect(target.queryTag).toBe('weft');
    expect(target.options).toMatchObject({
      account: 'org-acct',
      username: 'weft',
      password: 's3cret',
      role: 'R',
      accessUrl: 'http://x',
      application: 'weft',
    });
  });

  it('key-pair auth resolves private_key_path against the project', () => {
    const target = snowflakeTarget(
      {
        type: 'snowflake',
        account: 'a',
        user: 'u',
        private_key_path: 'keys/rsa.p8',
        private_key_passphrase: 'pp',
        query_tag: 'cdp',
      },
      '/project',
    );
    expect(target.auth).toBe('key-pair');
    expect(target.queryTag).toBe('cdp');
    expect(target.options).toMatchObject({
      authenticator: 'SNOWFLAKE_JWT',
      privateKeyPath: '/project/keys/rsa.p8',
      privateKeyPass: 'pp',
    });
  });

  it('refuses a config without account or user', () => {
    expect(() => snowflakeTarget({ type: 'snowflake', user: 'u', password: 'p' }, '/')).toThrow(/account/);
    expect(() => snowflakeTarget({ type: 'snowflake', account: 'a', password: 'p' }, '/')).toThrow(/user/);
  });
});

describe('openError', () => {
  const target = snowflakeTarget({ type: 'snowflake', account: 'a', user: 'u', password: 'hunter22' }, '/');

  it('masks secrets the driver might echo', () => {
    const error = openError(Object.assign(new Error('bad login hunter22'), { code: '390100' }), target);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error.message).not.toContain('hunter22');
    expect(error.message).toContain('u@a');
  });

  it('points at the account on a network failure and at the HTTP status on an HTTP error', () => {
    expect(openError(Object.assign(new Error('Network error'), { code: 401001 }), target).message).toMatch(
      /account identifier/,
    );
    const http = Object.assign(new Error('Request failed'), { code: 401002, response: { statusCode: 403 } });
    expect(openError(http, target).message).toContain('HTTP 403');
  });
});

describe('snowflakeTarget with a url', () => {
  it('reads a snowflake:// URL; explicit keys win', () => {
    const target = snowflakeTarget(
      {
        type: 'snowflake',
        url: 'snowflake://weft:p%40ss@org-acct/DB?warehouse=WH&access_url=http%3A%2F%2F127.0.0.1%3A1',
        role: 'R',
      },
      '/',
    );
    expect(target.options).toMatchObject({
      account: 'org-acct',
      username: 'weft',
      password: 'p@ss',
      database: 'DB',
      warehouse: 'WH',
      role: 'R',
      accessUrl: 'http://127.0.0.1:1',
    });
  });

  it('refuses another scheme without echoing it', () => {
    expect(() => snowflakeTarget({ type: 'snowflake', url: 'postgres://u:secret@h/db' }, '/')).toThrow(
      /not snowflake/,
    );
  });
});

describe('result column names', () => {
  it('the emulator names unquoted aliases upper-case, as Snowflake; the client folds them back', () => {
    const names = snowflakeColumnNames(
      ['n', 'm', 'Mixed', 'label'],
      'SELECT 1 AS n, 2 AS "m", \'n\' AS "Mixed", * FROM t',
    );
    expect(names).toEqual(['N', 'm', 'Mixed', 'label']);
    expect(names.map(resultKey)).toEqual(['n', 'm', 'Mixed', 'label']);
  });
});
