/**
 * The output columns of a model read from its compiled SQL, without the warehouse: the names of
 * the final query's SELECT list when every item names itself (`col`, `t.col`, `expr AS name`,
 * `expr name`, quoted names). Anything this small reader cannot name for certain (`*`, an
 * unaliased expression, several statements, a query that is not a SELECT) answers undefined, so
 * `weft validate` says nothing rather than something wrong.
 */

/** Output columns, and whether their case is exactly what the warehouse will report. */
export interface SelectListColumns {
  names: string[];
  /**
   * False when some name is a plain column reference whose case comes from the table, not the
   * SQL (DuckDB and BigQuery report `select Email` as the table's `email`): compare without case.
   */
  exactCase: boolean;
}

type Token =
  | { kind: 'word'; text: string; depth: number }
  | { kind: 'quoted'; text: string; depth: number }
  | { kind: 'string' | 'number'; text: string; depth: number }
  | { kind: 'punct'; text: string; depth: number };

/** Words after which a trailing word cannot be an implicit alias, and that are never one. */
const RESERVED = new Set(
  `all and any as asc between by case cast collate desc distinct else end except false fetch for
  from group having ilike in interval intersect is like limit not null offset on or order over
  qualify similar then true union when where window with within`.split(/\s+/),
);
/** Words that end a SELECT list at the top level. */
const LIST_END = new Set(
  'from where group having order limit qualify window union intersect except into offset fetch'.split(' '),
);
/** Units after a number (`interval 1 day`), never read as an implicit alias there. */
const UNITS = new Set(
  'year years month months week weeks day days hour hours minute minutes second seconds'.split(' '),
);
/** Bare words SQL treats as functions, whose output name varies by engine. */
const FUNCTION_WORDS = new Set(
  'current_date current_time current_timestamp localtime localtimestamp current_user session_user user current_schema current_catalog'.split(
    ' ',
  ),
);

/** Splits SQL into tokens with their parenthesis depth; undefined on what it does not read. */
function tokenize(sql: string): Token[] | undefined {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= sql.length) return undefined;
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            text += c;
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j];
        j++;
      }
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', text, depth });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))![0];
      tokens.push({ kind: 'word', text: word, depth });
      i += word.length;
    } else if (/[0-9]/.test(c)) {
      const number = /^[0-9][0-9._eE]*/.exec(sql.slice(i))![0];
      tokens.push({ kind: 'number', text: number, depth });
      i += number.length;
    } else if (c === '$') {
      return undefined; // a dollar-quoted string or a parameter: not read here
    } else {
      if (c === ')') depth--;
      if (depth < 0) return undefined;
      const op = /^(::|\|\||<=|>=|<>|!=|->>|->|[^\sA-Za-z0-9_])/.exec(sql.slice(i))![0];
      tokens.push({ kind: 'punct', text: op, depth }); // both parentheses at the outer depth
      if (c === '(') depth++;
      i += op.length;
    }
  }
  return depth === 0 ? tokens : undefined;
}

const lower = (t: Token | undefined) => (t?.kind === 'word' ? t.text.toLowerCase() : undefined);

/**
 * The columns of `sql`'s final SELECT for a warehouse of type `engine`, or undefined when they
 * cannot be named for certain. Snowflake is left out: it reports unquoted names upper-cased.
 */
export function selectListColumns(sql: string, engine: string): SelectListColumns | undefined {
  if (!['duckdb', 'postgres', 'bigquery'].includes(engine)) return undefined;
  const all = tokenize(sql);
  if (!all) return undefined;
  // One statement: a trailing `;` is fine, anything after it is not.
  const semicolon = all.findIndex((t) => t.kind === 'punct' && t.text === ';');
  const tokens = semicolon < 0 ? all : all.slice(0, semicolon);
  if (semicolon >= 0 && semicolon < all.length - 1) return undefined;
  // The first top-level SELECT: CTE bodies sit in parentheses; after a UNION the first names the columns.
  let at = tokens.findIndex((t) => t.depth === 0 && lower(t) === 'select');
  if (at < 0) return undefined;
  at++;
  if (lower(tokens[at]) === 'all') at++;
  else if (lower(tokens[at]) === 'distinct') {
    at++;
    if (lower(tokens[at]) === 'on') {
      at++;
      if (tokens[at]?.text !== '(') return undefined;
      const close = tokens.findIndex((t, k) => k > at && t.depth === 0 && t.text === ')');
      if (close < 0) return undefined;
      at = close + 1;
    }
  }
  const items: Token[][] = [[]];
  for (; at < tokens.length; at++) {
    const t = tokens[at]!;
    if (t.depth === 0 && t.kind === 'word' && LIST_END.has(t.text.toLowerCase())) break;
    if (t.depth === 0 && t.kind === 'punct' && t.text === ',') items.push([]);
    else items[items.length - 1]!.push(t);
  }
  const names: string[] = [];
  let exactCase = true;
  for (const item of items) {
    const named = nameOf(item, engine);
    if (!named) return undefined;
    names.push(named.name);
    if (!named.exact) exactCase = false;
  }
  return { names, exactCase };
}

/** The output name of one SELECT item, or undefined when it cannot be known. */
function nameOf(item: Token[], engine: string): { name: string; exact: boolean } | undefined {
  const last = item[item.length - 1];
  const before = item[item.length - 2];
  if (!last) return undefined;
  const unquoted = (text: string) => (engine === 'postgres' ? text.toLowerCase() : text);
  const isName = (t: Token | undefined) =>
    t?.kind === 'quoted' || (t?.kind === 'word' && !RESERVED.has(t.text.toLowerCase()));
  const nameFrom = (t: Token) => (t.kind === 'quoted' ? t.text : unquoted(t.text));
  // `expr AS name`
  if (item.length >= 3 && lower(before) === 'as' && isName(last))
    return { name: nameFrom(last), exact: true };
  // `col`, `t.col`, `s.t.col`: the column's own name
  const path = item.every((t, k) => (k % 2 === 0 ? isName(t) : t.kind === 'punct' && t.text === '.'));
  if (path && item.length % 2 === 1) {
    if (last.kind === 'word' && FUNCTION_WORDS.has(last.text.toLowerCase())) return undefined;
    // Postgres folds an unquoted reference; DuckDB and BigQuery report the table's spelling.
    return { name: nameFrom(last), exact: last.kind === 'quoted' || engine === 'postgres' };
  }
  // `expr name`: an implicit alias after a closing parenthesis, a name, a number or CASE … END
  const afterExpr =
    before !== undefined &&
    ((before.kind === 'punct' && before.text === ')') ||
      before.kind === 'number' ||
      isName(before) ||
      lower(before) === 'end');
  const unit = before?.kind === 'number' && UNITS.has(lower(last) ?? '');
  if (item.length >= 2 && afterExpr && !unit && isName(last)) return { name: nameFrom(last), exact: true };
  return undefined;
}
