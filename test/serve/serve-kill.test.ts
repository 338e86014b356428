/**
 * The acceptance: the compiled `weft serve` is killed with SIGKILL at random moments (5 times)
 * while @segment/analytics-node sends with retries. After a last start and a graceful stop, the
 * warehouse holds exactly one row per acknowledged messageId: none missing, none twice.
 */
import { Analytics } from '@segment/analytics-node';
import { afterAll, describe, expect, it } from 'vitest';
import { withWarehouse } from '../../src/warehouse/shared-access.js';
import { exited, freePort, healthy, startServe } from './processes.js';
import { loadEventsProject, removeProject, SERVER_KEY, waitFor, writeEventsProject } from './project.js';

const dir = writeEventsProject();
afterAll(() => removeProject(dir));

describe('weft serve under SIGKILL', () => {
  it('keeps exactly one row per acknowledged messageId across 5 kills', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let serve = startServe(dir, port);
    await waitFor('weft serve to start', () => healthy(url), 60_000);

    const analytics = new Analytics({
      writeKey: SERVER_KEY,
      host: url,
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
        analytics.track({ userId: `u${n % 13}`, event: 'Meter Read', properties: { n } }, (error, ctx) => {
          if (error) failed.push(error);
          else if (ctx) acked.add(ctx.event.messageId as string);
        });
      }
    };

    for (let kill = 0; kill < 5; kill++) {
      // Events flow for a while (a different while each round, fixed so a failure reproduces),
      // then the collector dies mid-stream.
      const flowing = [7, 18, 5, 12, 15][kill] as number;
      for (let tick = 0; tick < flowing; tick++) {
        sendSome(10);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      serve.kill('SIGKILL');
      await exited(serve);
      sendSome(20); // sent while it is down: retried until it is back
      serve = startServe(dir, port);
      await waitFor('weft serve to restart', () => healthy(url), 60_000);
    }
    sendSome(50);
    await analytics.closeAndFlush({ timeout: 120_000 });
    expect(failed).toEqual([]);
    expect(acked.size).toBe(sent);

    serve.kill('SIGTERM'); // graceful: lands what the log holds
    expect(await exited(serve)).toBe(0);

    const project = await loadEventsProject(dir);
    const counts = await withWarehouse(project, (w) =>
      w.query('SELECT id, count(*) AS n FROM events.meter_read GROUP BY id'),
    );
    const twice = counts.filter((row) => Number(row.n) !== 1).map((row) => row.id);
    expect(twice).toEqual([]);
    const landed = new Set(counts.map((row) => String(row.id)));
    const missing = [...acked].filter((id) => !landed.has(id));
    expect(missing).toEqual([]);
    const [tracks] = await withWarehouse(project, (w) =>
      w.query('SELECT count(*) AS n, count(DISTINCT id) AS d FROM events.tracks'),
    );
    expect(Number(tracks?.n)).toBe(Number(tracks?.d));
    expect(Number(tracks?.n)).toBe(landed.size);
  });
});
