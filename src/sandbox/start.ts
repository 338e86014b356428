/** startSandbox: every (or the chosen) connector emulator on local ports. */
import { emulators } from '../../destinations/emulators.js';
import { type RunningEmulator, startEmulator } from './server.js';
import type { SandboxRateLimit } from './types.js';

/** Default first port of `weft sandbox`; emulators take consecutive ports. */
export const DEFAULT_PORT_BASE = 4410;

/** Options of startSandbox. */
export interface SandboxOptions {
  /** Emulator names (default: all). Unknown names throw. */
  destinations?: string[];
  /** Explicit port per emulator name (0 = any free port). */
  ports?: Record<string, number>;
  /** First port for emulators without an explicit one; default 0 (free ports), the CLI uses 4410. */
  portBase?: number;
  host?: string;
  /** Emulator options per name (e.g. `{ webhook: { secret } }`). */
  options?: Record<string, Record<string, unknown>>;
  /** Rate limit per emulator name. */
  rateLimits?: Record<string, SandboxRateLimit>;
}

/** A running sandbox. */
export interface Sandbox {
  /** Emulator name → base URL. */
  urls: Record<string, string>;
  emulators: Record<string, RunningEmulator>;
  close(): Promise<void>;
}

/** Names of every available emulator. */
export function emulatorNames(): string[] {
  return emulators.map((emulator) => emulator.name);
}

/** Starts the emulators; on a failure (e.g. a port in use) the ones already started are closed. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const wanted = options.destinations ?? emulatorNames();
  const unknown = wanted.filter((name) => !emulatorNames().includes(name));
  if (unknown.length > 0) {
    throw new Error(`no emulator for ${unknown.join(', ')} (available: ${emulatorNames().join(', ')})`);
  }
  const running: Record<string, RunningEmulator> = {};
  const close = async () => {
    await Promise.all(Object.values(running).map((emulator) => emulator.close()));
  };
  try {
    for (const [index, definition] of emulators.entries()) {
      if (!wanted.includes(definition.name)) continue;
      const base = options.portBase ?? 0;
      const port = options.ports?.[definition.name] ?? (base === 0 ? 0 : base + index);
      running[definition.name] = await startEmulator(definition, {
        port,
        host: options.host,
        options: options.options?.[definition.name],
        rateLimit: options.rateLimits?.[definition.name],
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  const urls = Object.fromEntries(Object.entries(running).map(([name, emulator]) => [name, emulator.url]));
  return { urls, emulators: running, close };
}
