/** The build runner: materializes compiled models in the warehouse. */
export { buildProject } from './build.js';
export { STAGE_NAMES, type StageName, type StageResult, type StageResults } from './stages.js';
export type { BuildEvent, BuildOptions, BuildResult, ModelResult, ModelStatus } from './types.js';
