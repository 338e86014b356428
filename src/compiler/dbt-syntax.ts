/**
 * dbt's Jinja in weft models: the part of it weft understands is rewritten into the handlebars
 * equivalent before handlebars compiles the template; anything else is an error naming the
 * file, the line and what to write instead (never a raw handlebars parse error).
 *
 *   {{ ref('x') }}  {{ source('a', 'b') }}  {{ var('v') }}  {{ var('v', 'default') }}  {{ this }}
 *   {% if is_incremental() %} … {% else %} … {% endif %}     {# comments #}
 *   {{ config(materialized='incremental', unique_key='id') }}   (read by dbtConfigCall)
 *
 * Every rewrite keeps the number of newlines, so lines in later errors stay those of the file.
 */
import type { CompileIssue } from './errors.js';

/** A quoted Jinja string: 'x' or "x". */
const STR = String.raw`(?:'([^'\\]*)'|"([^"\\]*)")`;
const LITERAL = String.raw`(?:'([^'\\]*)'|"([^"\\]*)"|(-?\d+(?:\.\d+)?)|(true|false|True|False))`;
const REF = new RegExp(String.raw`^ref\(\s*(?:${STR}\s*,\s*)?${STR}\s*\)$`);
const SOURCE = new RegExp(String.raw`^source\(\s*${STR}\s*,\s*${STR}\s*\)$`);
const VAR = new RegExp(String.raw`^var\(\s*${STR}\s*(?:,\s*${LITERAL}\s*)?\)$`);
const CONFIG = /^config\s*\(/;
const IS_INCREMENTAL_IF = /^if\s+is_incremental\s*\(\s*\)$/;
/** Handlebars' own block/close/comment/else/partial markers: left to handlebars. */
const HANDLEBARS = /^(?:[#/!^>&]|else\b)/;
/** Jinja, not handlebars: a call `name(`, an attribute `a.b` or a filter `x | f`. */
const JINJA = /^[A-Za-z_][\w.]*\s*\(|^[A-Za-z_]\w*\.[A-Za-z_]|\|/;

/** Hints for Jinja weft does not run, by the statement or function that starts it. */
const UNSUPPORTED: Record<string, string> = {
  for: 'weft models have no loops: write the SQL out (or generate it before weft)',
  set: "weft models have no variables of their own: put the value in weft.yml vars and use {{var 'name'}}",
  macro: 'weft does not run dbt macros: write the SQL out in the model',
  call: 'weft does not run dbt macros: write the SQL out in the model',
  elif: 'only {% if is_incremental() %} … {% else %} … {% endif %} is supported ({{#if is_incremental}} … {{else}} … {{/if}})',
  if: 'only {% if is_incremental() %} is supported, written {{#if is_incremental}} … {{/if}} in handlebars',
  env_var:
    "models cannot read the environment: set a weft.yml var from {{env 'NAME'}} and use {{var 'name'}}",
  target: "weft has no dbt target: use {{this}} for the model's own relation or {{var 'name'}}",
  adapter: 'weft does not run dbt adapter methods: write the SQL for your warehouse',
  run_query: 'weft does not run queries while compiling: compute the value in a model and join it',
};

/** The rewritten SQL and the problems found (no handlebars compile when there are any). */
export interface DbtSyntaxResult {
  sql: string;
  issues: CompileIssue[];
}

/** Rewrites dbt Jinja in `sql` (of `file`) into handlebars. */
export function translateDbtSyntax(sql: string, file: string): DbtSyntaxResult {
  const issues: CompileIssue[] = [];
  const openIfs: number[] = [];
  let out = '';
  let i = 0;
  let line = 1;
  const fail = (at: number, message: string) => issues.push({ file, line: at, message });
  while (i < sql.length) {
    const next = sql.slice(i).search(/\{[{%#]/);
    if (next < 0) break;
    const start = i + next;
    out += sql.slice(i, start);
    line += count(sql.slice(i, start));
    const kind = sql[start + 1]!;
    const close = kind === '{' ? '}}' : kind === '%' ? '%}' : '#}';
    // A handlebars comment may hold anything, up to `--}}` when it opened with `{{!--`.
    const end = sql.startsWith('{{!--', start)
      ? sql.indexOf('--}}', start) + 2
      : sql.indexOf(close, start + 2);
    if (end < 2 || end < start) {
      // An unclosed `{{` is handlebars' to report (with its line); `{%`/`{#` it would not see.
      if (kind !== '{') fail(line, `'${sql.slice(start, start + 2)}' is never closed with '${close}'`);
      out += sql.slice(start);
      i = sql.length;
      break;
    }
    const token = sql.slice(start, end + 2);
    const newlines = '\n'.repeat(count(token));
    const inner = token.slice(2, -2).replace(/^[-~]/, '').replace(/[-~]$/, '').trim();
    if (kind === '#') out += newlines;
    else if (kind === '%') out += statement(inner, line, openIfs, fail) + newlines;
    else out += expression(token, inner, line, fail, newlines);
    line += count(token);
    i = end + 2;
  }
  out += sql.slice(i);
  for (const at of openIfs) fail(at, '{% if is_incremental() %} is never closed with {% endif %}');
  return { sql: out, issues };
}

function statement(
  inner: string,
  line: number,
  openIfs: number[],
  fail: (line: number, message: string) => void,
): string {
  if (IS_INCREMENTAL_IF.test(inner)) {
    openIfs.push(line);
    return '{{#if is_incremental}}';
  }
  if (inner === 'else' || inner === 'endif') {
    if (openIfs.length === 0) {
      fail(line, `{% ${inner} %} without {% if is_incremental() %}`);
      return '';
    }
    if (inner === 'endif') openIfs.pop();
    return inner === 'else' ? '{{else}}' : '{{/if}}';
  }
  const word = /^\w+/.exec(inner)?.[0] ?? inner;
  const hint = UNSUPPORTED[word] ?? 'weft models accept only the dbt syntax listed in docs; use handlebars';
  fail(line, `weft does not support {% ${inner} %}: ${hint}`);
  return '';
}

function expression(
  token: string,
  inner: string,
  line: number,
  fail: (line: number, message: string) => void,
  newlines: string,
): string {
  if (token.startsWith('{{{') || HANDLEBARS.test(inner) || !JINJA.test(inner)) return token;
  const ref = REF.exec(inner);
  if (ref) return `{{ref '${ref[3] ?? ref[4]}'}}${newlines}`;
  const source = SOURCE.exec(inner);
  if (source) return `{{source '${source[1] ?? source[2]}' '${source[3] ?? source[4]}'}}${newlines}`;
  const v = VAR.exec(inner);
  if (v) return `{{var '${v[1] ?? v[2]}'${varDefault(v)}}}${newlines}`;
  if (CONFIG.test(inner)) return newlines; // read into the model's config by dbtConfigCall
  if (/^is_incremental\s*\(\s*\)$/.test(inner))
    fail(line, 'use {% if is_incremental() %} … {% endif %} (or {{#if is_incremental}} … {{/if}})');
  else {
    const word = /^[A-Za-z_]\w*/.exec(inner)?.[0] ?? '';
    const hint =
      UNSUPPORTED[word] ??
      (inner.includes('.') || inner.includes('(')
        ? "weft does not run dbt macros or Jinja expressions: weft understands ref(), source(), var(), this, config(); or write {{ref 'model'}}, {{source 'src' 'table'}}, {{var 'name'}}"
        : "write {{ref 'model'}}, {{source 'src' 'table'}} or {{var 'name'}}");
    fail(line, `weft does not support {{ ${inner} }}: ${hint}`);
  }
  return newlines;
}

function varDefault(match: RegExpExecArray): string {
  const [, , , str1, str2, number, bool] = match;
  if (str1 !== undefined || str2 !== undefined) return ` '${str1 ?? str2}'`;
  if (number !== undefined) return ` ${number}`;
  if (bool !== undefined) return ` ${bool.toLowerCase()}`;
  return '';
}

function count(text: string): number {
  let n = 0;
  for (const c of text) if (c === '\n') n++;
  return n;
}
