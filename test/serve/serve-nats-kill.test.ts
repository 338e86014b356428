/**
 * Issue 14's scale-out acceptance: two compiled `weft serve` processes share one NATS JetStream
 * log behind a load balancer (a small proxy here that sends each request to the next node alive).
 * One node is SIGKILLed mid-stream while @segment/analytics-node sends with retries; the other
 * keeps acknowledging, and its lander also lands what the dead node had read but not landed (after
 * `events.nats.ack_wait_ms`). The warehouse (Postgres, shared by both) holds exactly one row per
 * acknowledged messageId: none missing, none twice.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { deleteStream, natsAvailable, natsUrl } from '../events/nats-support.js';
import { postgresTestConfig } from '../support/live-engines.js';
import { exited, freePort, healthy, startServe } from './processes.js';
import { removeProject, SERVER_KEY, waitFor, writeEventsProject } from './project.js';

const pg = postgresTestConfig();

/** A load balancer: each request goes to the next node; a node that refuses is skipped. */
async function startBalancer(nodes: string[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
    ) as Record<string, string>;
    for (let tried = 0; tried < nodes.length; tried++) {
      const node = nodes[next++ % nodes.length] as string;
      try {
        const answer = await fetch(`${node}${req.url}`, {
          method: req.method,
          headers,
          body: Buffer.concat(chunks),
        });
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(Buffer.from(await answer.arrayBuffer()));
        return;
      } catch {
        // that node is down: the next one
      }
    }
    res.writeHead(503, { 'retry-after': '1' });
    res.end('{"error":"no node up"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.runIf(pg && natsAvailable)('two weft serve processes over NATS JetStream', () => {
  const stream = `WEFT_TEST_${randomBytes(4).toString('hex').toUpperCase()}`;
  const database = `weft_nats_${randomBytes(4).toString('hex')}`;
  let admin: Warehouse;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    admin = await openWarehouse(pg ?? { type: 'postgres' }, { projectDir: process.cwd() });
    await admin.execute(`CREATE DATABASE ${admin.dialect.quoteIdent(database)}`);
    const server = new URL(pg?.url ?? '');
    server.pathname = `/${database}`;
    url = server.toString();
    dir = writeEventsProject(
      `  log: ${natsUrl}\n  nats: { stream: ${stream}, ack_wait_ms: 2000 }\n`,
      `type: postgres\n  url: ${url}`,
    );
  });
  afterAll(async () => {
    await deleteStream(stream).catch(() => undefined);
    await admin?.execute(`DROP DATABASE IF EXISTS ${admin.dialect.quoteIdent(database)} WITH (FORCE)`);
    await admin?.close();
    if (dir) removeProject(dir);
  });

  it('keeps one row per acknowledged messageId when one node is killed mid-stream', {
    timeout: 240_000,
  }, async () => {
    const start = (port: number) => startServe(dir, port);
    const ports = [await freePort(), await freePort()];
    const nodes = ports.map((port) => `http://127.0.0.1:${port}`);
    const a = start(ports[0] as number);
    const b = start(ports[1] as number);
    for (const node of nodes) await waitFor(`weft serve at ${node}`, () => healthy(node), 60_000);
    const balancer = await startBalancer(nodes);

    const analytics = new Analytics({
      writeKey: SERVER_KEY,
      host: balancer.url,
      flushAt: 10,
      flushInterval: 50,
      maxRetries: 1000,
    });
    const acked = new Set<string>();
    const failed: unknown[] = [];
    let sent = 0;
    const sendSome = (count: number) => {
      for (let i = 0; i < count; i++) {
        const n = sent++;
        analytics.track({ userId: `u${n % 7}`, event: 'Meter Read', properties: { n } }, (error, ctx) => {
          if (error) failed.push(error);
          else if (ctx) acked.add(ctx.event.messageId as string);
        });
      }
    };
    for (let tick = 0; tick < 15; tick++) {
      sendSome(10);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    a.kill('SIGKILL'); // mid-stream: requests in flight to it fail and are retried through the balancer
    await exited(a);
    for (let tick = 0; tick < 15; tick++) {
      sendSome(10);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await analytics.closeAndFlush({ timeout: 120_000 });
    expect(failed).toEqual([]);
    expect(acked.size).toBe(sent);

    // The survivor lands everything, the dead node's unlanded batch included (after the ack wait).
    const warehouse = await openWarehouse({ type: 'postgres', url }, { projectDir: dir });
    try {
      const landedIds = async () =>
        (await warehouse
          .query('SELECT id, count(*) AS n FROM events.meter_read GROUP BY id')
          .catch(() => [])) as Array<{
          id: string;
          n: unknown;
        }>;
      const rows = await waitFor(
        'every acknowledged event to land',
        async () => {
          const now = await landedIds();
          return now.length >= acked.size ? now : undefined;
        },
        90_000,
      );
      b.kill('SIGTERM');
      expect(await exited(b)).toBe(0);
      const final = await landedIds();
      expect(final.filter((row) => Number(row.n) !== 1)).toEqual([]);
      const landed = new Set(final.map((row) => String(row.id)));
      expect([...acked].filter((id) => !landed.has(id))).toEqual([]);
      expect(landed.size).toBe(rows.length);
      const [tracks] = await warehouse.query(
        'SELECT count(*) AS n, count(DISTINCT id) AS d FROM events.tracks',
      );
      expect(Number(tracks?.n)).toBe(Number(tracks?.d));
      expect(Number(tracks?.n)).toBe(landed.size);
    } finally {
      await warehouse.close();
      balancer.server.close();
      if (b.exitCode === null && b.signalCode === null) b.kill('SIGKILL');
    }
  });
});
