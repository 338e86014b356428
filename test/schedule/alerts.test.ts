/** Alerts: when a run raises one, what it says, and delivery to webhook and Slack receivers. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../destinations/webhook/signature.js';
import { alertFor, sendAlert } from '../../src/alerts/index.js';
import type { Project } from '../../src/config/types.js';
import type { RunSummary } from '../../src/sync/types.js';

const run = (over: Partial<RunSummary>): RunSummary => ({
  sync: 's',
  run_id: 'r1',
  status: 'success',
  added: 100,
  changed: 0,
  removed: 0,
  succeeded: 100,
  rejected: 0,
  unacknowledged: 0,
  duration_ms: 5,
  ...over,
});

describe('alertFor', () => {
  const both = { connection: 'c', on: ['failed', 'partial'] as Array<'failed' | 'partial'> };

  it('is quiet for a good run and alerts a failed one with its error as the reason', () => {
    expect(alertFor(run({}), both)).toBeUndefined();
    const alert = alertFor(run({ status: 'failed', succeeded: 0, error: 'HTTP 401 from destination' }), both);
    expect(alert).toMatchObject({
      sync: 's',
      run_id: 'r1',
      status: 'failed',
      reason: 'HTTP 401 from destination',
    });
  });

  it('explains a partial run by its rejections and unacknowledged rows', () => {
    const alert = alertFor(run({ status: 'partial', succeeded: 97, rejected: 3, unacknowledged: 2 }), both);
    expect(alert?.reason).toBe('3 of 100 rows rejected (3.0%); 2 rows not acknowledged (re-sent next run)');
    expect(alert?.rejection_rate).toBe(0.03);
  });

  it('follows `on` and the rejection-rate threshold', () => {
    const onlyFailed = { connection: 'c', on: ['failed' as const] };
    expect(alertFor(run({ status: 'partial', succeeded: 99, rejected: 1 }), onlyFailed)).toBeUndefined();
    const withRate = { ...onlyFailed, max_rejection_rate: 0.05 };
    expect(alertFor(run({ status: 'partial', succeeded: 96, rejected: 4 }), withRate)).toBeUndefined();
    expect(alertFor(run({ status: 'partial', succeeded: 90, rejected: 10 }), withRate)?.reason).toBe(
      '10 of 100 rows rejected (10.0%, above the 5.0% threshold)',
    );
  });
});

describe('sendAlert', () => {
  let server: http.Server;
  let base: string;
  let answer = 200;
  const received: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.statusCode = answer;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    answer = 200;
  });

  const projectWith = (connection: Record<string, unknown> & { type: string }): Project =>
    ({
      dir: '/tmp',
      secrets: ['topsecret-value'],
      config: {
        alerts: { connection: 'target', on: ['failed', 'partial'] },
        connections: { target: connection },
      },
    }) as unknown as Project;
  const alert = alertFor(run({ status: 'failed', succeeded: 0, error: 'boom' }), {
    connection: 'target',
    on: ['failed'],
  })!;

  it('signs the JSON body for a webhook connection', async () => {
    const delivery = await sendAlert(
      projectWith({ type: 'webhook', url: `${base}/hooks/alerts`, secret: 'topsecret-value' }),
      alert,
    );
    expect(delivery).toEqual({ connection: 'target', ok: true });
    expect(received).toHaveLength(1);
    const [hit] = received;
    expect(hit!.path).toBe('/hooks/alerts');
    expect(JSON.parse(hit!.body)).toMatchObject({
      type: 'weft.alert',
      sync: 's',
      status: 'failed',
      reason: 'boom',
    });
    const ts = hit!.headers['x-weft-timestamp'] as string;
    expect(
      verifySignature('topsecret-value', ts, hit!.headers['x-weft-signature'] as string, hit!.body),
    ).toBeUndefined();
  });

  it('posts {text} to a Slack incoming webhook', async () => {
    const delivery = await sendAlert(
      projectWith({ type: 'slack', webhook_url: `${base}/services/T0/B0/xyz` }),
      alert,
    );
    expect(delivery.ok).toBe(true);
    const body = JSON.parse(received[0]!.body);
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toContain('weft sync *s* failed');
    expect(body.text).toContain('Reason: boom');
  });

  it('reports an undeliverable alert without throwing and without the URL or secret', async () => {
    answer = 500;
    const failed = await sendAlert(
      projectWith({ type: 'webhook', url: `${base}/hooks/topsecret-value`, secret: 'topsecret-value' }),
      alert,
    );
    expect(failed).toEqual({ connection: 'target', ok: false, error: 'HTTP 500' });
    const refused = await sendAlert(
      projectWith({ type: 'slack', webhook_url: 'http://127.0.0.1:1/services/secret-path' }),
      alert,
    );
    expect(refused.ok).toBe(false);
    expect(refused.error).not.toContain('secret-path');
    const invalid = await sendAlert(projectWith({ type: 'slack' }), alert);
    expect(invalid).toMatchObject({ ok: false, error: 'invalid connection settings' });
  });
});
