/** weft.yml: env rendering, validation and the WEFT_WAREHOUSE_URL override. */
import { type Env, renderEnvInDocument } from './env.js';
import { type ConfigIssue, formatIssue } from './issues.js';
import { type LoadedFile, loadYamlFile } from './load-yaml.js';
import { type WeftFile, weftFileSchema } from './schemas/weft.js';
import type { WeftConfig } from './types.js';
import { parseWarehouseUrl } from './warehouse-url.js';

/** The project file's name. */
export const WEFT_FILE = 'weft.yml';

/** What loading weft.yml produced. */
export interface WeftFileResult {
  exists: boolean;
  loaded?: LoadedFile<WeftFile>;
  config?: WeftConfig;
  secrets: string[];
  issues: ConfigIssue[];
}

/** Loads weft.yml from `dir` with `env` rendered in, then applies WEFT_WAREHOUSE_URL. */
export async function loadWeftFile(dir: string, env: Env): Promise<WeftFileResult> {
  const secrets: string[] = [];
  let unavailable: Record<string, string> = {};
  const result = await loadYamlFile(dir, WEFT_FILE, weftFileSchema, (yaml) => {
    // A connection whose secret is not in the environment fails only what uses it (so CI can
    // build and test without production tokens); everything else missing is a config issue.
    const rendered = renderEnvInDocument(yaml, env, {
      deferTo: (keys) => (keys[0] === 'connections' && keys.length > 2 ? keys[1] : undefined),
    });
    secrets.push(...rendered.secrets);
    unavailable = Object.fromEntries(
      Object.entries(rendered.deferred).map(([name, issue]) => [name, formatIssue(issue)]),
    );
    return rendered.issues;
  });
  const issues = [...result.issues];
  const out: WeftFileResult = { exists: result.exists, secrets, issues };
  if (!result.exists) return out;
  const override = env.WEFT_WAREHOUSE_URL;
  let warehouse = result.loaded?.data.warehouse;
  if (override !== undefined && override !== '') {
    const parsed = parseWarehouseUrl(override);
    if (parsed.ok) {
      warehouse = parsed.warehouse as typeof warehouse;
      secrets.push(...parsed.secrets);
    } else {
      issues.push({ file: '$WEFT_WAREHOUSE_URL', message: parsed.message });
    }
  }
  if (result.loaded && warehouse && issues.length === 0) {
    out.loaded = result.loaded;
    out.config = { ...result.loaded.data, warehouse };
    if (Object.keys(unavailable).length > 0) out.config.unavailable_connections = unavailable;
  }
  return out;
}
