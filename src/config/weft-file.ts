/** weft.yml: env rendering, validation and the WEFT_WAREHOUSE_URL override. */
import { type Env, renderEnvInDocument } from './env.js';
import type { ConfigIssue } from './issues.js';
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
  const result = await loadYamlFile(dir, WEFT_FILE, weftFileSchema, (yaml) => {
    const rendered = renderEnvInDocument(yaml, env);
    secrets.push(...rendered.secrets);
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
  }
  return out;
}
