/** Reading a model's output columns from its SQL, without the warehouse (weft validate's column check). */
import { describe, expect, it } from 'vitest';
import { selectListColumns } from '../../src/sync/check/select-list.js';

const names = (sql: string, engine = 'duckdb') => selectListColumns(sql, engine)?.names;

describe('selectListColumns', () => {
  it('names plain, qualified, aliased and quoted items', () => {
    expect(
      names(`select id, o.email, lower(name) as full_name, count(*) n, "Mixed Case", amount::int AS amt
             from orders o group by 1, 2, 3, 5, 6`),
    ).toEqual(['id', 'email', 'full_name', 'n', 'Mixed Case', 'amt']);
  });

  it('reads the final query after CTEs, skipping comments, strings and DISTINCT ON', () => {
    const sql = `/* config */ -- a comment, with, commas
      with a as (select x, y from t), b as (select * from a)
      select distinct on (x) x, 'a, b' as label, case when y > 1 then 'hi' else 'lo' end as band
      from b where y > 0 order by x`;
    expect(names(sql)).toEqual(['x', 'label', 'band']);
  });

  it('takes the first SELECT of a UNION, and allows a trailing semicolon', () => {
    expect(names('select a, b from t union all select c, d from u;')).toEqual(['a', 'b']);
  });

  it('answers undefined for what it cannot name for certain', () => {
    for (const sql of [
      'select * from t',
      'select t.*, a from t',
      'select a, lower(b) from t', // an unaliased expression: the engine picks its name
      'select a::int from t',
      'select interval 1 day from t',
      "select date '2020-01-01' from t",
      'select current_date',
      'select a from t; select b from u',
      'from t', // DuckDB's FROM-first query with no SELECT
      'select a, from t',
      'select $1 from t',
    ]) {
      expect(names(sql), sql).toBeUndefined();
    }
  });

  it('folds unquoted names as the engine reports them; Snowflake is not read', () => {
    expect(names('select Email, x AS Full_Name, "Q" from t', 'postgres')).toEqual([
      'email',
      'full_name',
      'Q',
    ]);
    expect(selectListColumns('select Email, x AS Full_Name from t', 'duckdb')).toEqual({
      names: ['Email', 'Full_Name'],
      exactCase: false, // a plain `Email` is reported with the table's spelling
    });
    expect(selectListColumns('select x AS Full_Name from t', 'duckdb')?.exactCase).toBe(true);
    expect(names('select a from t', 'snowflake')).toBeUndefined();
  });
});
