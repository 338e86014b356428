/**
 * Every run is recorded with its cause (issue 18, item 3), with real processes and real sockets:
 * a refused connection, an untrusted certificate (not retried), and a failure before planning.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSyncProject,
  peopleAt,
  queryProject,
  spawnWeft,
  UPSERT_SYNC,
  writePeople,
} from '../sync/cli-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop() ?? '{}');

/** A port nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An HTTPS server with a self-signed certificate that counts TLS handshake attempts. */
async function selfSignedServer(
  dir: string,
): Promise<{ url: string; attempts: () => number; close: () => void }> {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  let attempts = 0;
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) =>
    res.end('{}'),
  );
  server.on('connection', () => {
    attempts++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `https://127.0.0.1:${port}/hooks`, attempts: () => attempts, close: () => server.close() };
}

describe('runs record their cause', () => {
  const dirs: string[] = [];
  const project = (settings: Record<string, unknown>) => {
    const dir = createSyncProject(settings);
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a refused connection: failed, with ECONNREFUSED in --json, weft runs and sync_runs', async () => {
    const dir = project({ url: `http://127.0.0.1:${await closedPort()}/hooks`, secret: 'cause-secret-1' });
    await writePeople(dir, peopleAt(3, 1));
    const sync = await weft(['sync', UPSERT_SYNC, '--json'], dir);
    expect(sync.code).toBe(1);
    const result = lastJson(sync.stdout);
    expect(result).toMatchObject({ status: 'failed', succeeded: 0, unacknowledged: 3 });
    expect(result.error).toMatch(/3 rows not acknowledged .*ECONNREFUSED/);
    const runs = await weft(['runs', UPSERT_SYNC], dir);
    expect(runs.stdout).toMatch(/ECONNREFUSED/);
    const rows = await queryProject(dir, 'SELECT status, error FROM weft_state.sync_runs');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.error).toMatch(/ECONNREFUSED/);
  }, 60_000);

  it('an untrusted certificate: failed at once with the TLS cause, not retried', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-tls-'));
    dirs.push(tmp);
    const server = await selfSignedServer(tmp);
    try {
      const dir = project({ url: server.url, secret: 'cause-secret-2' });
      await writePeople(dir, peopleAt(3, 1));
      const sync = await weft(['sync', UPSERT_SYNC, '--json'], dir);
      expect(sync.code).toBe(1);
      const result = lastJson(sync.stdout);
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/TLS error .*self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      expect(server.attempts()).toBe(1);
      const rows = await queryProject(dir, 'SELECT error FROM weft_state.sync_runs');
      expect(rows[0]?.error).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT/);
    } finally {
      server.close();
    }
  }, 60_000);

  it('a receiver redirecting to another origin: the run fails with the cause; the other origin gets nothing', async () => {
    const elsewhereSaw: string[] = [];
    const elsewhere = http.createServer((req, res) => {
      elsewhereSaw.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
      res.end('{}');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(elsewhere.address() as net.AddressInfo).port}/collect`;
    const redirecting = http.createServer((_req, res) => {
      res.writeHead(307, { location: target });
      res.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const port = (redirecting.address() as net.AddressInfo).port;
      const dir = project({ url: `http://127.0.0.1:${port}/hooks`, secret: 'cause-secret-4' });
      await writePeople(dir, peopleAt(3, 1));
      const sync = await weft(['sync', UPSERT_SYNC, '--json'], dir);
      expect(sync.code).toBe(1);
      const result = lastJson(sync.stdout);
      expect(result).toMatchObject({ status: 'failed', succeeded: 0 });
      expect(result.error).toMatch(
        /HTTP 307, a redirect to http:\/\/127\.0\.0\.1:\d+\/collect: weft does not follow redirects of a POST/,
      );
      expect(elsewhereSaw).toEqual([]);
    } finally {
      redirecting.close();
      elsewhere.close();
    }
  }, 60_000);

  it('a failure before planning still writes a failed run with its cause', async () => {
    const dir = project({ url: `http://127.0.0.1:${await closedPort()}/hooks`, secret: 'cause-secret-3' });
    fs.writeFileSync(
      path.join(dir, 'syncs', `${UPSERT_SYNC}.yml`),
      `name: ${UPSERT_SYNC}\nfrom: people\nconnection: hook\nmode: upsert\nkey: no_such_column\nmappings:\n  email: email\n`,
    );
    await writePeople(dir, peopleAt(3, 1));
    const sync = await weft(['sync', UPSERT_SYNC, '--json'], dir);
    expect(sync.code).toBe(1); // this sync failed (the others would still run)
    expect(lastJson(sync.stdout)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/no_such_column/),
    });
    const rows = await queryProject(dir, 'SELECT sync, status, error FROM weft_state.sync_runs');
    expect(rows).toEqual([
      {
        sync: UPSERT_SYNC,
        status: 'failed',
        error: expect.stringMatching(/key 'no_such_column' is not a column/),
      },
    ]);
  }, 60_000);
});
