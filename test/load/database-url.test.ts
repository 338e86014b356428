/** Source URLs: masking, refusals, the SQL Server driver hint, and the cursor's default mode (no server needed). */
import { describe, expect, it } from 'vitest';
import { connectSource } from '../../src/load/database/connect.js';
import { effectiveMode } from '../../src/load/database/index.js';
import { maskUrl, parseSourceUrl, scrubPassword } from '../../src/load/database/url.js';

describe('database URLs', () => {
  it('masks the password, keeps everything else', () => {
    expect(maskUrl('mysql://shop:p%40ss@db.internal:3306/shop?ssl=true')).toBe(
      'mysql://shop:***@db.internal:3306/shop?ssl=true',
    );
    expect(maskUrl('postgres://reader@db/app')).toBe('postgres://reader@db/app');
    expect(scrubPassword('bad p@ss and p%40ss', parseSourceUrl('mysql://u:p%40ss@h/db'))).toBe(
      'bad *** and ***',
    );
  });

  it('picks the knex client by scheme and refuses others without echoing the password', () => {
    expect(parseSourceUrl('mariadb://u@h/db').client).toBe('mysql2');
    expect(parseSourceUrl('postgresql://u@h/db').client).toBe('pg');
    expect(parseSourceUrl('mssql://u@h/db').client).toBe('mssql');
    expect(() => parseSourceUrl('oracle://u:hunter22@h/db')).toThrow(
      "--from oracle://u:***@h/db: unsupported database 'oracle' (use mysql://, mariadb://, postgres:// or mssql://)",
    );
    expect(() => parseSourceUrl('mysql://u:hunter22@h')).toThrow('the URL names no database');
    expect(() => parseSourceUrl('not a url')).toThrow('--from takes a database URL');
  });

  it('asks for `npm install tedious` when SQL Server is read without its driver', async () => {
    const error = await connectSource(parseSourceUrl('mssql://sa:Str0ng-pw@127.0.0.1:1433/shop')).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toBe(
      'reading SQL Server (mssql://sa:***@127.0.0.1:1433/shop) needs its driver: run `npm install tedious` in the project, then load again',
    );
  });

  it('with a cursor, the default mode is upsert by key, else append; --full replaces', () => {
    const base = { from: 'x', table: 't', into: 'a.b' };
    expect(effectiveMode({ ...base, mode: 'replace', cursor: 'u', key: ['id'] })).toBe('upsert');
    expect(effectiveMode({ ...base, mode: 'replace', cursor: 'u' })).toBe('append');
    expect(effectiveMode({ ...base, mode: 'replace', cursor: 'u', full: true })).toBe('replace');
    expect(effectiveMode({ ...base, mode: 'append', cursor: 'u', key: ['id'] })).toBe('append');
    expect(effectiveMode({ ...base, mode: 'replace' })).toBe('replace');
  });
});
