/**
 * Splits Snowflake SQL text into statements on `;` outside string literals ('…' with '' and
 * backslash escapes), quoted identifiers ("…"), dollar-quoted text ($$…$$) and comments.
 * Empty statements are dropped. Snowflake runs several statements in one request only when
 * told how many (MULTI_STATEMENT_COUNT); sending them one by one on the session is simpler
 * and keeps each failure tied to its own statement.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let index = 0;
  const length = sql.length;
  const skipTo = (end: string, from: number): number => {
    const found = sql.indexOf(end, from);
    return found === -1 ? length : found + end.length;
  };
  while (index < length) {
    const char = sql[index];
    const next = sql[index + 1];
    if (char === "'") {
      index++;
      while (index < length) {
        if (sql[index] === '\\') index += 2;
        else if (sql[index] === "'" && sql[index + 1] === "'") index += 2;
        else if (sql[index] === "'") break;
        else index++;
      }
      index++;
    } else if (char === '"') {
      index = skipTo('"', index + 1);
    } else if (char === '$' && next === '$') {
      index = skipTo('$$', index + 2);
    } else if (char === '-' && next === '-') {
      index = skipTo('\n', index + 2);
    } else if (char === '/' && next === '/') {
      index = skipTo('\n', index + 2);
    } else if (char === '/' && next === '*') {
      index = skipTo('*/', index + 2);
    } else if (char === ';') {
      statements.push(sql.slice(start, index));
      index++;
      start = index;
    } else {
      index++;
    }
  }
  statements.push(sql.slice(start));
  return statements.map((statement) => statement.trim()).filter((statement) => !isEmpty(statement));
}

/** Only whitespace and comments. */
function isEmpty(statement: string): boolean {
  return (
    statement
      .replace(/--[^\n]*|\/\/[^\n]*/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .trim() === ''
  );
}
