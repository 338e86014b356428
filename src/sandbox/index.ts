/** The sandbox: local emulators of destination APIs (see types.ts and server.ts). */
export { FaultState } from './faults.js';
export { type RateDecision, SlidingWindow } from './rate-limit.js';
export { type EmulatorServerOptions, type RunningEmulator, startEmulator } from './server.js';
export {
  DEFAULT_PORT_BASE,
  emulatorNames,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from './start.js';
export type * from './types.js';
