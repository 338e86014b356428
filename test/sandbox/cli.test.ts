import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { repoRoot, runWeft } from '../cli/run-weft.js';

const cli = path.join(repoRoot, 'dist/src/cli/main.js');

describe('weft sandbox', () => {
  it('prints each emulator with its URL, env var and settings, serves it, and stops on SIGTERM', async () => {
    expect(existsSync(cli)).toBe(true);
    const child = spawn(process.execPath, [cli, 'sandbox', '--json', '--port-base', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const line = JSON.parse(first) as {
      sandbox: string;
      url: string;
      env: string;
      settings: { url: string };
    };
    expect(line).toMatchObject({ sandbox: 'webhook', env: 'WEFT_SANDBOX_WEBHOOK_URL' });
    expect(line.settings.url).toBe(`${line.url}/hooks/weft`);
    const state = await (await fetch(`${line.url}/__sandbox/state`)).json();
    expect(state).toMatchObject({ name: 'webhook', stats: { requests: 0 } });
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses an unknown emulator with exit 2', async () => {
    const run = await runWeft(['sandbox', '--only', 'nope']);
    expect(run.code).toBe(2);
    // The message lists every registered emulator.
    expect(run.stderr).toMatch(/no emulator named nope \(available: [a-z_, ]*webhook[a-z_, ]*\)/);
  });
});
