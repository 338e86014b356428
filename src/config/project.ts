/**
 * loadProject: reads and validates every file of a weft project, collecting all problems
 * across all files before reporting them.
 */
import { resolve } from 'node:path';
import type { z } from 'zod';
import { checkDbtColumns } from '../dbt/check.js';
import { DBT_SOURCE, type LoadedDbt, loadDbt } from '../dbt/source.js';
import { checkCrossReferences } from './crossrefs.js';
import type { Env } from './env.js';
import { listFiles } from './files.js';
import { ConfigError, type ConfigIssue, sortByPosition } from './issues.js';
import { type LoadedFile, loadYamlFile } from './load-yaml.js';
import { discoverModels } from './models.js';
import { type AudienceConfig, audienceFileSchema } from './schemas/audience.js';
import { identityFileSchema } from './schemas/identity.js';
import { profilesFileSchema } from './schemas/profiles.js';
import { sourcesFileSchema } from './schemas/sources.js';
import { type SyncConfig, syncFileSchema } from './schemas/sync.js';
import { triggerFileSchema } from './schemas/trigger.js';
import { redactSecrets } from './secrets.js';
import { toSourceDefs } from './sources.js';
import { checkTriggerReferences, triggerNameOf } from './trigger-refs.js';
import type { Project, SourceDef } from './types.js';
import { loadWeftFile, WEFT_FILE } from './weft-file.js';
import { issueAt } from './yaml.js';

export { ConfigError, type ConfigIssue, formatIssue } from './issues.js';
export { writeJsonSchemas } from './json-schema.js';
export { redactSecrets } from './secrets.js';

/** Options for `loadProject`. */
export interface LoadProjectOptions {
  /** Environment for `{{env}}` and WEFT_WAREHOUSE_URL (default `process.env`). */
  env?: Env;
}

/** Loads the project in `dir`. `project` is present only when there are no issues. */
export async function loadProject(
  dir: string,
  options: LoadProjectOptions = {},
): Promise<{ project?: Project; issues: ConfigIssue[] }> {
  const projectDir = resolve(dir);
  const weft = await loadWeftFile(projectDir, options.env ?? process.env);
  if (!weft.exists) {
    return {
      issues: [
        {
          file: WEFT_FILE,
          message: `no ${WEFT_FILE} in ${projectDir}: run \`weft init\` to create a project, or pass --project DIR`,
        },
      ],
    };
  }
  const issues = [...weft.issues];
  const collect = <T>(result: { loaded?: T; issues: ConfigIssue[] }): T | undefined => {
    issues.push(...result.issues);
    return result.loaded;
  };

  const sourcesFile = collect(await loadYamlFile(projectDir, 'models/sources.yml', sourcesFileSchema));
  let sources: SourceDef[] = [];
  if (sourcesFile) {
    const normalized = toSourceDefs(sourcesFile, projectDir);
    issues.push(...normalized.issues);
    sources = normalized.sources;
  }
  let dbt: LoadedDbt | undefined;
  const dbtConfig = weft.loaded?.data.dbt;
  if (dbtConfig && weft.loaded) {
    const weftYaml = weft.loaded.yaml;
    const loaded = await loadDbt(projectDir, dbtConfig, (m) => issueAt(weftYaml, ['dbt'], m, 'key'));
    issues.push(...loaded.issues);
    dbt = loaded.dbt;
    if (dbt && sources.some((s) => s.name === DBT_SOURCE))
      issues.push({
        file: 'models/sources.yml',
        message: "source 'dbt' is reserved for weft.yml's dbt: project",
      });
    else if (dbt) sources = [...sources, dbt.source];
  }
  const models = await discoverModels(projectDir);
  issues.push(...models.issues);
  const identity = collect(await loadYamlFile(projectDir, 'models/identity.yml', identityFileSchema));
  const profiles = collect(await loadYamlFile(projectDir, 'models/profiles.yml', profilesFileSchema));
  const audiences = await loadEach(projectDir, 'models/audiences', audienceFileSchema, issues);
  const syncs = await loadEach(projectDir, 'syncs', syncFileSchema, issues);
  const triggers = await loadEach(projectDir, 'models/triggers', triggerFileSchema, issues);
  issues.push(...duplicateNames(audiences, 'audience'), ...duplicateNames(syncs, 'sync'));
  // An invalid weft.yml is reported once: its connections are not known, so references to them
  // are not checked (rather than every sync reporting an "unknown connection").
  const connectionNames = weft.loaded ? Object.keys(weft.loaded.data.connections ?? {}) : undefined;
  issues.push(
    ...checkCrossReferences({
      connections: connectionNames,
      consentPurposes: Object.keys(weft.loaded?.data.privacy?.consent ?? {}),
      models: models.models,
      sources,
      identity,
      profiles,
      audiences,
      syncs,
      ...(dbt ? { dbt } : {}),
      dbtUnreadable: Boolean(dbtConfig) && !dbt,
    }),
  );
  if (dbt) issues.push(...checkDbtColumns(dbt, { identity, profiles, syncs }));
  issues.push(
    ...checkTriggerReferences({
      connections: connectionNames,
      traits: profiles && Object.keys(profiles.data.profiles.traits),
      audiences,
      triggers,
    }),
  );

  const secrets = [...new Set(weft.secrets)];
  // Messages never quote whole values, but a secret could still hide in e.g. a key name.
  const safeIssues = byFileThenPosition(issues).map((i) => ({
    ...i,
    message: redactSecrets(i.message, secrets),
  }));
  if (safeIssues.length > 0 || !weft.config) return { issues: safeIssues };
  const project: Project = {
    dir: projectDir,
    config: weft.config,
    sources,
    models: models.models,
    audiences: audiences.map((a) => ({ path: a.yaml.file, value: a.data })),
    syncs: syncs.map((s) => ({ path: s.yaml.file, value: s.data })),
    triggers: triggers.map((t) => ({
      path: t.yaml.file,
      value: { ...t.data, name: triggerNameOf(t.yaml.file) },
    })),
    secrets,
  };
  if (identity) project.identity = identity.data.identity;
  if (profiles) project.profiles = profiles.data.profiles;
  return { project, issues: [] };
}

/** Like `loadProject`, but throws a ConfigError listing every issue. */
export async function loadProjectOrThrow(dir: string, options: LoadProjectOptions = {}): Promise<Project> {
  const { project, issues } = await loadProject(dir, options);
  if (!project) throw new ConfigError(issues);
  return project;
}

/** Loads every YAML file directly in `folder` (sorted); a missing folder is fine. */
async function loadEach<T extends z.ZodType>(
  dir: string,
  folder: string,
  schema: T,
  issues: ConfigIssue[],
): Promise<LoadedFile<z.output<T>>[]> {
  const loaded: LoadedFile<z.output<T>>[] = [];
  for (const file of await listFiles(dir, folder, ['.yml', '.yaml'], false)) {
    const result = await loadYamlFile(dir, file, schema);
    issues.push(...result.issues);
    if (result.loaded) loaded.push(result.loaded);
  }
  return loaded;
}

function duplicateNames(files: LoadedFile<AudienceConfig | SyncConfig>[], what: string): ConfigIssue[] {
  const first = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const file of files) {
    const previous = first.get(file.data.name);
    if (previous)
      issues.push(
        issueAt(file.yaml, ['name'], `duplicate ${what} name '${file.data.name}' (also in ${previous})`),
      );
    else first.set(file.data.name, file.yaml.file);
  }
  return issues;
}

/** Groups issues by file (in the order files were first reported), each file by position. */
function byFileThenPosition(issues: ConfigIssue[]): ConfigIssue[] {
  const files = [...new Set(issues.map((i) => i.file))];
  return files.flatMap((file) => sortByPosition(issues.filter((i) => i.file === file)));
}
