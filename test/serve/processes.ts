/** Real `weft serve` processes for the crash tests: a free port, start, health, exit. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { repoRoot } from '../cli/run-weft.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Starts the compiled `weft serve` for the project in `dir` (stderr piped, for diagnostics). */
export function startServe(dir: string, port: number, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);
  return spawn(process.execPath, [cli, 'serve', '--project', dir, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
  });
}

/** true once `url/health` answers 200; undefined while it does not (for waitFor). */
export async function healthy(url: string): Promise<true | undefined> {
  try {
    return (await fetch(`${url}/health`)).ok ? true : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves with the exit code (null when killed by a signal) once the process has ended. */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}
