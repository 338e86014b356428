/**
 * dbt's `{{ config(materialized='incremental', unique_key='id') }}` in a weft model: read into
 * the model's config (as the `/* config: *\/` block would be). Keys weft applies: materialized
 * (view, table, incremental), unique_key, schema, tags, enabled. Other dbt keys (warehouse
 * tuning such as partition_by, on_schema_change) are accepted and ignored.
 */
import type { ModelConfig } from '../config/types.js';

type Value = string | number | boolean | string[];

/** The config a `config()` call sets, and its problems (1-based line of the call). */
export interface DbtConfigCall {
  config?: Partial<ModelConfig>;
  line?: number;
  issues: Array<{ line: number; message: string }>;
}

const CALL = /\{\{-?\s*config\s*\(/;
const MATERIALIZED = new Set(['view', 'table', 'incremental']);

/** Finds and reads the `{{ config(…) }}` call of a model's SQL, if any. */
export function dbtConfigCall(sql: string): DbtConfigCall {
  const match = CALL.exec(sql);
  if (!match) return { issues: [] };
  const line = sql.slice(0, match.index).split('\n').length;
  const open = match.index + match[0].length;
  const close = sql.indexOf('}}', open);
  const body = close < 0 ? '' : sql.slice(open, close).replace(/\)\s*-?\s*$/, '');
  const issues: DbtConfigCall['issues'] = [];
  const fail = (message: string) => issues.push({ line, message: `{{ config() }}: ${message}` });
  const config: Partial<ModelConfig> = {};
  for (const arg of splitTopLevel(body)) {
    const eq = arg.indexOf('=');
    const key = arg.slice(0, eq).trim();
    const value = eq < 0 ? undefined : parseValue(arg.slice(eq + 1).trim());
    if (eq < 0 || value === undefined) {
      fail(`cannot read '${arg.trim()}': write key='value' (strings, lists of strings, true/false, numbers)`);
      continue;
    }
    apply(config, key, value, fail);
  }
  return { config, line, issues };
}

function apply(config: Partial<ModelConfig>, key: string, value: Value, fail: (m: string) => void): void {
  const list = (v: Value) => (Array.isArray(v) ? v : [String(v)]);
  switch (key) {
    case 'materialized':
      if (typeof value === 'string' && MATERIALIZED.has(value))
        config.materialized = value as ModelConfig['materialized'];
      else
        fail(
          `materialized='${String(value)}' is not supported: weft builds view, table or incremental models`,
        );
      return;
    case 'unique_key':
      config.unique_key = list(value);
      return;
    case 'schema':
      config.schema = String(value);
      return;
    case 'tags':
      config.tags = list(value);
      return;
    case 'enabled':
      if (typeof value === 'boolean') config.enabled = value;
      else fail('enabled must be true or false');
      return;
    case 'alias':
    case 'database':
      fail(`${key} is not supported: a weft model's relation is its file name in its schema`);
      return;
    default:
  }
}

/** Splits `a='x', b=['y', 'z']` at commas outside quotes and brackets. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const c of body) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '') parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}

function parseValue(text: string): Value | undefined {
  const str = /^(?:'([^']*)'|"([^"]*)")$/.exec(text);
  if (str) return str[1] ?? str[2]!;
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.startsWith('[') && text.endsWith(']')) {
    const items = splitTopLevel(text.slice(1, -1)).map((i) => parseValue(i.trim()));
    if (items.every((i) => typeof i === 'string')) return items as string[];
    return undefined;
  }
  // Other dbt values (dicts, Jinja expressions) only matter to keys weft ignores.
  return text.startsWith('{') ? '' : undefined;
}
