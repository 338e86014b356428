/** Model discovery: every models/**\/*.sql, its name and its config (comment block or sidecar). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dbtConfigCall } from '../compiler/dbt-syntax-config.js';
import { listFiles, readIfExists } from './files.js';
import type { ConfigIssue } from './issues.js';
import { validateYamlText } from './load-yaml.js';
import { findConfigComment } from './model-comment.js';
import { modelConfigFileSchema } from './schemas/model-config.js';
import type { ModelConfig, ModelDef } from './types.js';

/** YAML files in models/ that are not model sidecars. */
const RESERVED_YAML = new Set(['models/sources.yml', 'models/identity.yml', 'models/profiles.yml']);
const DEFAULT_CONFIG: ModelConfig = { materialized: 'view', tags: [], enabled: true };
const MODEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Finds and configures every model of the project at `dir`. */
export async function discoverModels(dir: string): Promise<{ models: ModelDef[]; issues: ConfigIssue[] }> {
  const sqlFiles = await listFiles(dir, 'models', ['.sql'], true);
  const yamlFiles = new Set(
    (await listFiles(dir, 'models', ['.yml'], true)).filter(
      (f) => !RESERVED_YAML.has(f) && !f.startsWith('models/audiences/') && !f.startsWith('models/triggers/'),
    ),
  );
  const models: ModelDef[] = [];
  const issues: ConfigIssue[] = [];
  const byName = new Map<string, string>();
  for (const path of sqlFiles) {
    const name = path.slice(path.lastIndexOf('/') + 1, -'.sql'.length);
    const sidecar = `${path.slice(0, -'.sql'.length)}.yml`;
    yamlFiles.delete(sidecar);
    const first = byName.get(name);
    if (first !== undefined) {
      issues.push({
        file: path,
        line: 1,
        column: 1,
        message: `duplicate model name '${name}': ${first} and ${path}`,
      });
      continue;
    }
    byName.set(name, path);
    if (!MODEL_NAME.test(name)) {
      issues.push({
        file: path,
        message: `model name '${name}' (the file name) must contain only letters, digits and underscores`,
      });
    }
    const sql = await readFile(join(dir, path), 'utf8');
    const sidecarText = RESERVED_YAML.has(sidecar) ? undefined : await readIfExists(join(dir, sidecar));
    const config = readModelConfig(path, sql, sidecar, sidecarText, issues);
    if (config) models.push({ name, path, sql, config });
  }
  for (const orphan of yamlFiles) {
    issues.push({
      file: orphan,
      message: `no model '${orphan.replace(/\.yml$/, '.sql')}' for this sidecar config`,
    });
  }
  return { models, issues };
}

/** The config from the comment block or the sidecar; pushes issues and returns undefined on error. */
function readModelConfig(
  path: string,
  sql: string,
  sidecar: string,
  sidecarText: string | undefined,
  issues: ConfigIssue[],
): ModelConfig | undefined {
  const { comment, error } = findConfigComment(sql);
  if (error) {
    issues.push({ file: path, line: 1, column: 1, message: error });
    return undefined;
  }
  if (comment && sidecarText !== undefined) {
    issues.push({
      file: path,
      line: comment.line,
      column: comment.column,
      message: `config is both in this comment block and in ${sidecar}; keep only one`,
    });
    return undefined;
  }
  const source = comment
    ? validateYamlText(path, comment.yaml, modelConfigFileSchema, undefined, comment)
    : sidecarText !== undefined
      ? validateYamlText(sidecar, sidecarText, modelConfigFileSchema)
      : undefined;
  // dbt's `{{ config(…) }}` (src/compiler/dbt-syntax-config.ts), when there is no other config.
  const dbt = dbtConfigCall(sql);
  issues.push(...dbt.issues.map((i) => ({ file: path, line: i.line, message: i.message })));
  if (dbt.config && source) {
    const other = comment ? 'the config comment block' : sidecar;
    issues.push({
      file: path,
      line: dbt.line,
      message: `config is both in {{ config() }} and in ${other}; keep only one`,
    });
  }
  if (!source) return dbt.issues.length > 0 ? undefined : { ...DEFAULT_CONFIG, tags: [], ...dbt.config };
  issues.push(...source.issues);
  if (!source.loaded) return undefined;
  const { config, description } = source.loaded.data;
  // A sidecar may describe the model at its top level instead of inside `config:`.
  return config.description === undefined && description !== undefined ? { ...config, description } : config;
}
