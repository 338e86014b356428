/**
 * The ground truth's spelling of an identifier: undoes exactly the noise the demo seed adds
 * (case, whitespace, gmail dots and +tags, phone formats) so truth clusters can be computed
 * independently of the resolver under test. Junk needs no rule here: a value shared by several
 * true people never links anything in the truth clustering (see truth.ts).
 * Uses split_part and regexp_replace(…, 'g') (DuckDB, Postgres, Snowflake).
 */

/** SQL for the canonical form of `expr` (text) under the id type's `normalize` kind. */
export function oracleValue(expr: string, normalize: 'email' | 'phone' | undefined): string {
  const text = `CAST(${expr} AS VARCHAR)`;
  if (normalize === 'email') {
    const email = `regexp_replace(lower(${text}), '\\s', '', 'g')`;
    const local = `split_part(${email}, '@', 1)`;
    const domain = `split_part(${email}, '@', 2)`;
    return `CASE WHEN ${email} NOT LIKE '%_@%_.%_' THEN NULL
      WHEN ${domain} IN ('gmail.com', 'googlemail.com')
        THEN replace(split_part(${local}, '+', 1), '.', '') || '@gmail.com'
      ELSE ${email} END`;
  }
  if (normalize === 'phone') {
    const digits = `regexp_replace(${text}, '[^0-9]', '', 'g')`;
    return `CASE WHEN length(${digits}) = 11 AND ${digits} LIKE '1%' THEN substr(${digits}, 2)
      WHEN length(${digits}) = 10 THEN ${digits} END`;
  }
  return `NULLIF(trim(${text}), '')`;
}
