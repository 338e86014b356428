/**
 * The SOQL the connector sends, and no more: `SELECT f, … FROM Object [WHERE c AND c …]` with
 * conditions `field = 'v'` or `field IN ('a', …)` (string literals with backslash escapes).
 * Anything else is refused with 400 MALFORMED_QUERY, as Salesforce refuses what it cannot parse.
 */

/** A parsed query. */
export interface SoqlQuery {
  fields: string[];
  object: string;
  /** field → accepted values (every condition must hold). */
  where: { field: string; values: string[] }[];
}

const NAME = '[A-Za-z][A-Za-z0-9_.]*';
const LITERAL = "'(?:[^'\\\\]|\\\\.)*'";

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', r: '\r', t: '\t' })[ch] ?? ch);
}

/** Parses a query; a string is the MALFORMED_QUERY message. */
export function parseSoql(soql: string): SoqlQuery | string {
  const match = new RegExp(
    `^\\s*SELECT\\s+(.+?)\\s+FROM\\s+(${NAME})(?:\\s+WHERE\\s+(.+?))?\\s*$`,
    'is',
  ).exec(soql);
  if (!match) return `unexpected token in query: ${soql.slice(0, 80)}`;
  const fields = (match[1] as string).split(',').map((f) => f.trim());
  if (fields.some((f) => !new RegExp(`^${NAME}$`).test(f))) return 'unexpected token in the SELECT list';
  const where: SoqlQuery['where'] = [];
  const rest = match[3];
  if (rest !== undefined) {
    const condition = new RegExp(
      `^(${NAME})\\s*(?:=\\s*(${LITERAL})|IN\\s*\\(((?:\\s*${LITERAL}\\s*,?)*)\\))\\s*(?:AND\\s+|$)`,
      'i',
    );
    const literal = new RegExp(LITERAL, 'g');
    let text = rest.trim();
    while (text.length > 0) {
      const found = condition.exec(text);
      if (!found) return `unexpected token: ${text.slice(0, 40)}`;
      const values =
        found[2] !== undefined ? [found[2]] : [...(found[3] ?? '').matchAll(literal)].map((m) => m[0]);
      where.push({ field: found[1] as string, values: values.map(unquote) });
      text = text.slice(found[0].length).trim();
    }
  }
  return { fields, object: match[2] as string, where };
}
