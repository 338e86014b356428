/**
 * `weft serve` with an `events.mqtt` block whose broker cannot be reached: it stops with the
 * reason; with --no-mqtt it runs without the subscription (what `npm run demo` does when no
 * Mosquitto answers).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runWeft } from '../cli/run-weft.js';
import { removeProject, waitFor, writeEventsProject } from './project.js';

// Port 1 on the loopback: nothing listens there, so the connection is refused at once.
const dir = writeEventsProject(`  mqtt:
    url: mqtt://127.0.0.1:1
    topics:
      - { topic: meters/+/fault, source: meters, event: Meter Fault, device_id: "topic:2" }
`);
afterAll(() => removeProject(dir));

describe('weft serve and an unreachable MQTT broker', () => {
  it('stops naming the broker; --no-mqtt serves without it', { timeout: 90_000 }, async () => {
    const refused = await runWeft(['serve', '--project', dir, '--port', '0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Cannot subscribe at the MQTT broker mqtt://127.0.0.1:1');

    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'dist/src/cli/main.js'),
        'serve',
        '--no-mqtt',
        '--project',
        dir,
        '--port',
        '0',
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const line = await waitFor(
        'the start line',
        async () => stdout.split('\n').find((l) => l.startsWith('{')),
        60_000,
      );
      const { url } = JSON.parse(line) as { url: string };
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
