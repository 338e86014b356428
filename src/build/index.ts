/** The build runner: materializes compiled models in the warehouse. */
export { buildProject } from './build.js';
export type { BuildEvent, BuildOptions, BuildResult, ModelResult, ModelStatus } from './types.js';
