/**
 * Mapping templates. A template that is one expression (`{{round ltv 2}}`, `{{lower email}}`) is
 * evaluated directly so its value keeps its type (a number stays a number); anything else
 * (text around expressions, `{{#if}}` blocks) renders through an isolated Handlebars environment
 * to text. Column references are checked against the source's columns up front.
 */
import Handlebars from 'handlebars';
import { mappingHelpers } from './helpers.js';

type Node = hbs.AST.Node;
type Expr = hbs.AST.Expression;

/** Handlebars' own block helpers, allowed in templates. */
const BUILT_IN = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);

/** An isolated environment: only the mapping helpers, no access to weft's compiler helpers. */
const env = Handlebars.create();
for (const [name, helper] of Object.entries(mappingHelpers)) {
  // Handlebars appends an `options` object to the arguments: drop it.
  env.registerHelper(name, (...args: unknown[]) => helper(...args.slice(0, -1)));
}

/** A compiled template: the columns it reads and its evaluation for one row. */
export interface CompiledTemplate {
  columns: string[];
  evaluate(row: Record<string, unknown>): unknown;
}

/** Thrown for a template that cannot work for any row (syntax, unknown helper or column). */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

const isHelper = (name: string) => name in mappingHelpers || BUILT_IN.has(name);

/** Every column a template reads (paths that are not helper names), in first-use order. */
function referencedColumns(program: hbs.AST.Program): string[] {
  const found = new Set<string>();
  // role: a value, a callee with arguments (must be a helper), or a bare `{{name}}` (helper or column).
  const visit = (node: Node | undefined, role: 'value' | 'call' | 'bare' = 'value'): void => {
    if (!node) return;
    const n = node as Node & Record<string, unknown>;
    if (node.type === 'PathExpression') {
      const path = node as hbs.AST.PathExpression;
      if (path.data || path.parts.length === 0) return;
      if (role !== 'value' && isHelper(path.original)) return;
      if (role === 'call') throw new TemplateError(`unknown helper '${path.original}'`);
      if (path.parts.length > 1) throw new TemplateError(`nested path '${path.original}' is not supported`);
      found.add(path.parts[0] as string);
      return;
    }
    const hasArgs = Array.isArray(n.params) && (n.params as Expr[]).length > 0;
    const calls = hasArgs || node.type === 'BlockStatement' || node.type === 'SubExpression';
    if (n.path) visit(n.path as Node, calls ? 'call' : 'bare');
    for (const param of (n.params as Expr[] | undefined) ?? []) visit(param);
    for (const pair of (n.hash as hbs.AST.Hash | undefined)?.pairs ?? []) visit(pair.value);
    for (const child of (n.body as Node[] | undefined) ?? []) visit(child);
    visit(n.program as Node | undefined);
    visit(n.inverse as Node | undefined);
  };
  visit(program);
  return [...found];
}

/** Evaluates one expression of a single-expression template, keeping its type. */
function evaluateExpr(expr: Expr, row: Record<string, unknown>, args?: Expr[]): unknown {
  switch (expr.type) {
    case 'StringLiteral':
    case 'NumberLiteral':
    case 'BooleanLiteral':
      return (expr as hbs.AST.StringLiteral).value;
    case 'NullLiteral':
    case 'UndefinedLiteral':
      return null;
    case 'SubExpression': {
      const sub = expr as hbs.AST.SubExpression;
      return evaluateExpr(sub.path, row, sub.params);
    }
    case 'PathExpression': {
      const path = expr as hbs.AST.PathExpression;
      const helper = mappingHelpers[path.original];
      if (helper && (args !== undefined || !(path.original in row))) {
        return helper(...(args ?? []).map((arg) => evaluateExpr(arg, row)));
      }
      return row[path.parts[0] as string] ?? null;
    }
  }
  throw new TemplateError(`unsupported expression ${expr.type}`);
}

/** Compiles a template; `columns` are the source's columns (references are checked against them). */
export function compileTemplate(template: string, columns: ReadonlySet<string>): CompiledTemplate {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(template);
  } catch (error) {
    throw new TemplateError(`invalid template: ${(error as Error).message.split('\n')[0]}`);
  }
  const used = referencedColumns(program);
  const unknown = used.filter((name) => !columns.has(name));
  if (unknown.length > 0) {
    throw new TemplateError(
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `'${c}'`).join(', ')}`,
    );
  }
  const [only, ...rest] = program.body;
  if (only?.type === 'MustacheStatement' && rest.length === 0) {
    const mustache = only as hbs.AST.MustacheStatement;
    if (mustache.hash?.pairs.length) throw new TemplateError('named (hash) arguments are not supported');
    const args = mustache.params.length > 0 ? mustache.params : undefined;
    const callee = mustache.path as Expr;
    if (args && BUILT_IN.has((callee as hbs.AST.PathExpression).original ?? '')) {
      return { columns: used, evaluate: renderer(template) };
    }
    return { columns: used, evaluate: (row) => evaluateExpr(callee, row, args) };
  }
  return { columns: used, evaluate: renderer(template) };
}

/** Renders through Handlebars to text. */
function renderer(template: string): (row: Record<string, unknown>) => string {
  const render = env.compile(template, { noEscape: true });
  return (row) => render(row);
}
