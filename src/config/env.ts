/**
 * `{{env 'NAME'}}` / `{{env 'NAME' 'default'}}` in weft.yml string values. A deliberately tiny
 * template language: only these two forms are env templates. Any other `{{…}}` (a Slack
 * connection's handlebars `template: "New VIP: {{first_name}}"`) is left as written for the
 * connector to render, except one that looks like a botched env call (`{{env NAME}}`,
 * `{{evn 'NAME'}}`), which is an error so a typo cannot silently ship as literal text.
 */
import { isPair, isScalar, isSeq, visit } from 'yaml';
import { type ConfigIssue, formatPath, type PathSegment } from './issues.js';
import { looksSecret, MIN_SECRET_LENGTH } from './secrets.js';
import type { YamlFile } from './yaml.js';

/** Environment variables (like `process.env`). */
export type Env = Record<string, string | undefined>;

const TEMPLATE = /\{\{([\s\S]*?)\}\}/g;
const ENV_CALL = /^\s*env\s+(?:'([^']*)'|"([^"]*)")(?:\s+(?:'([^']*)'|"([^"]*)"))?\s*$/;
/** The first word of a template and whether a quoted argument follows it. */
const FIRST_WORD = /^\s*([A-Za-z_]+)(\s+['"])?/;

/**
 * True when a `{{…}}` that is not a valid env call was meant as one: its first word is `env`
 * (any case), or one letter off `env` with a quoted argument (`evn 'X'`, `emv "X"`).
 */
function meantAsEnv(inner: string): boolean {
  const match = FIRST_WORD.exec(inner);
  if (!match) return false;
  const word = match[1]!.toLowerCase();
  if (word === 'env') return true;
  return match[2] !== undefined && oneEditFromEnv(word);
}

function oneEditFromEnv(word: string): boolean {
  const target = 'env';
  if (Math.abs(word.length - target.length) > 1) return false;
  // Edit distance ≤ 1 (an adjacent swap counts as one edit) on tiny strings.
  const d = Array.from({ length: word.length + 1 }, (_, i) =>
    Array.from({ length: target.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= word.length; i++)
    for (let j = 1; j <= target.length; j++) {
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (word[i - 1] === target[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && word[i - 1] === target[j - 2] && word[i - 2] === target[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[word.length]![target.length]! <= 1;
}

/** One `{{env}}` use inside a string. */
export interface EnvUse {
  name: string;
  value: string;
  /** True when the variable was unset and the default was used. */
  fromDefault: boolean;
  /** True when the template gave a default. */
  hasDefault: boolean;
}

/**
 * Renders the env templates of one string; other `{{…}}` stay as written. `errors` name missing
 * variables and botched env calls.
 */
export function renderEnvString(text: string, env: Env): { value: string; uses: EnvUse[]; errors: string[] } {
  const uses: EnvUse[] = [];
  const errors: string[] = [];
  const value = text.replace(TEMPLATE, (whole, inner: string) => {
    const call = ENV_CALL.exec(inner);
    if (!call) {
      if (meantAsEnv(inner))
        errors.push(
          `unsupported template '${whole}': write {{env 'NAME'}} or {{env 'NAME' 'default'}} (quoted)`,
        );
      // Not an env template: handlebars for the connector (e.g. a Slack message template).
      return whole;
    }
    const name = (call[1] ?? call[2])!;
    const fallback = call[3] ?? call[4];
    const fromEnv = env[name];
    if (fromEnv !== undefined) {
      uses.push({ name, value: fromEnv, fromDefault: false, hasDefault: fallback !== undefined });
      return fromEnv;
    }
    if (fallback !== undefined) {
      uses.push({ name, value: fallback, fromDefault: true, hasDefault: true });
      return fallback;
    }
    errors.push(`environment variable '${name}' is not set (and {{env '${name}'}} has no default)`);
    return whole;
  });
  return { value, uses, errors };
}

/**
 * Renders every string value of a parsed file in place. A rendered value is a secret when it
 * came from the environment and either had no default, sits under `connections`, or its
 * variable or key name looks secret; a default is a secret only when the name looks secret
 * (defaults are committed to git anyway).
 */
export function renderEnvInDocument(
  yaml: YamlFile,
  env: Env,
  options: {
    /**
     * For a value at `keys`, the owner a missing variable is charged to instead of the file (e.g.
     * `connections.hubspot.access_token` → connection `hubspot`), or undefined to report it as a
     * config issue. Only the commands that use the owner fail then.
     */
    deferTo?: (keys: string[]) => string | undefined;
  } = {},
): { issues: ConfigIssue[]; secrets: string[]; deferred: Record<string, ConfigIssue> } {
  const issues: ConfigIssue[] = [];
  const secrets: string[] = [];
  const deferred: Record<string, ConfigIssue> = {};
  visit(yaml.doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('{{')) return;
      const path = pathOf([...ancestors, node]);
      const keys = path.filter((segment): segment is string => typeof segment === 'string');
      const rendered = renderEnvString(node.value, env);
      const position = yaml.position(node.range?.[0] ?? 0);
      const owner = options.deferTo?.(keys);
      for (const message of rendered.errors) {
        const issue = { file: yaml.file, ...position, path: formatPath(path), message };
        // A missing variable is deferred to its owner; an unsupported template is always an issue.
        if (owner !== undefined && message.startsWith('environment variable ')) deferred[owner] ??= issue;
        else issues.push(issue);
      }
      const underConnections = keys[0] === 'connections';
      const keyName = keys[keys.length - 1] ?? '';
      for (const use of rendered.uses) {
        const named = looksSecret(use.name) || looksSecret(keyName);
        const secret = use.fromDefault ? named : !use.hasDefault || underConnections || named;
        if (secret && use.value.length >= MIN_SECRET_LENGTH) secrets.push(use.value);
      }
      node.value = rendered.value;
    },
  });
  return { issues, secrets, deferred };
}

/** The key/index path of the last node in a visitor's ancestor chain. */
function pathOf(chain: readonly unknown[]): PathSegment[] {
  const path: PathSegment[] = [];
  for (const [i, node] of chain.entries()) {
    if (isPair(node)) path.push(isScalar(node.key) ? String(node.key.value) : '?');
    else if (isSeq(node)) path.push(node.items.indexOf(chain[i + 1] as never));
  }
  return path;
}
