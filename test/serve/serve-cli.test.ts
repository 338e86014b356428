/** The compiled `weft serve`: prints its endpoints and sources with masked write keys, stops on SIGTERM with exit 0. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runWeft } from '../cli/run-weft.js';
import { removeProject, SERVER_KEY, WEB_KEY, waitFor, writeEventsProject } from './project.js';

const dir = writeEventsProject();
afterAll(() => removeProject(dir));

describe('weft serve (CLI)', () => {
  it('prints endpoints and masked write keys in --json, and exits 0 on SIGTERM', {
    timeout: 90_000,
  }, async () => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist/src/cli/main.js'), 'serve', '--project', dir, '--port', '0', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const line = await waitFor(
      'the start line',
      async () => stdout.split('\n').find((l) => l.startsWith('{')),
      60_000,
    );
    const started = JSON.parse(line) as {
      url: string;
      endpoints: string[];
      sources: Array<{ name: string; write_key: string }>;
    };
    expect(started.endpoints).toContain(`${started.url}/v1/batch`);
    expect(started.sources).toEqual([
      { name: 'web', write_key: `••••••••${WEB_KEY.slice(-4)}` },
      { name: 'backend', write_key: `••••••••${SERVER_KEY.slice(-4)}` },
    ]);
    expect((await fetch(`${started.url}/health`)).status).toBe(200);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(stdout + stderr).not.toContain(WEB_KEY);
    expect(stdout + stderr).not.toContain(SERVER_KEY);
  });

  it('weft events tail --json shows the events a running serve acknowledges, filtered by source', {
    timeout: 90_000,
  }, async () => {
    const cli = path.join(repoRoot, 'dist/src/cli/main.js');
    const serve = spawn(process.execPath, [cli, 'serve', '--project', dir, '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let serveOut = '';
    serve.stdout.on('data', (d) => {
      serveOut += d;
    });
    const line = await waitFor(
      'serve to start',
      async () => serveOut.split('\n').find((l) => l.startsWith('{')),
      60_000,
    );
    const { url } = JSON.parse(line) as { url: string };
    const tail = spawn(
      process.execPath,
      [cli, 'events', 'tail', '--project', dir, '--url', url, '--source', 'backend', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let tailOut = '';
    tail.stdout.on('data', (d) => {
      tailOut += d;
    });
    const send = (key: string, id: string) =>
      fetch(`${url}/v1/track`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
        body: JSON.stringify({ userId: 'tail-user', event: 'Tailed', messageId: id }),
      });
    // Until the tail is connected, sent events pass it by: send until one shows.
    let n = 0;
    await waitFor(
      'an event in the tail',
      async () => {
        await send(WEB_KEY, `web-${n}`);
        await send(SERVER_KEY, `backend-${n++}`);
        return tailOut.includes('"backend-') ? true : undefined;
      },
      60_000,
    );
    tail.kill('SIGTERM');
    serve.kill('SIGTERM');
    expect(await new Promise((resolve) => tail.once('exit', resolve))).toBe(0);
    await new Promise((resolve) => serve.once('exit', resolve));
    const shown = tailOut
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { source: string; event: string; userId: string });
    expect(shown.length).toBeGreaterThan(0);
    expect(
      shown.every((e) => e.source === 'backend' && e.event === 'Tailed' && e.userId === 'tail-user'),
    ).toBe(true);
  });

  it('teaches with examples in --help, and refuses a bad --port with exit 2', async () => {
    const help = await runWeft(['serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('weft serve --port 9000');
    const bad = await runWeft(['serve', '--project', dir, '--port', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a whole number');
  });
});
