/** The config layer: load and validate a weft project, report problems with file:line. */

export { type Env, renderEnvString } from './env.js';
export { ConfigError, type ConfigIssue, formatIssue, formatPath } from './issues.js';
export { jsonSchemaFor, writeJsonSchemas } from './json-schema.js';
export { type LoadProjectOptions, loadProject, loadProjectOrThrow } from './project.js';
export * from './schemas/index.js';
export { looksSecret, redactSecrets } from './secrets.js';
export type * from './types.js';
export { parseWarehouseUrl } from './warehouse-url.js';
