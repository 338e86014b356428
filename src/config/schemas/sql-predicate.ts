/**
 * A sync's `where:` filter is one SQL condition over its source's columns, pasted into the plan's
 * source query (`SELECT * FROM source WHERE (<where>)`). These checks run without a warehouse, so
 * `weft validate` catches what could escape that parenthesis or is not a condition at all; the
 * plan then asks the warehouse whether the columns exist (src/sync/planner/where.ts).
 */

/** Words that start a statement or a subquery: a filter is a condition, never a query. */
const STATEMENT_WORDS =
  /\b(select|insert|update|delete|merge|drop|create|alter|truncate|grant|revoke|copy|attach|detach|pragma|call|exec|execute|union|with|into|from)\b/i;

/** Why `where` cannot be a sync filter, or undefined when it can. */
export function predicateProblem(where: string): string | undefined {
  const outside = outsideQuotes(where);
  if (typeof outside !== 'string') return outside.problem;
  if (outside.trim() === '') return 'is empty: give a condition such as "email IS NOT NULL"';
  if (outside.includes(';')) return "must be one condition: ';' is not allowed";
  if (outside.includes('--') || outside.includes('/*')) return 'must not contain SQL comments (-- or /*)';
  let depth = 0;
  for (const char of outside) {
    if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    if (depth < 0) return "has a ')' without its '('";
  }
  if (depth > 0) return "has a '(' that is never closed";
  const word = STATEMENT_WORDS.exec(outside)?.[1];
  if (word) return `must be a condition over the source's columns, not a query ('${word}' is not allowed)`;
  return undefined;
}

/** `sql` with the insides of '…' strings and "…" identifiers blanked, or why a quote is unclosed. */
function outsideQuotes(sql: string): string | { problem: string } {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i += 1) {
    const char = sql[i] as string;
    if (quote) {
      if (char === quote) {
        if (sql[i + 1] === quote)
          i += 1; // '' or "" inside a quoted run
        else {
          quote = undefined;
          out += char;
        }
      } else out += ' ';
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    out += char;
  }
  if (quote) return { problem: `has an unclosed ${quote === "'" ? 'string' : 'quoted name'} (${quote})` };
  return out;
}
