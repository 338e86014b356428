/**
 * Landing on every live engine: Segment-style tables, per-event tables with flattened properties,
 * new properties as new columns, conflicting types kept in `<column>_text`, and exactly one row
 * per messageId when a batch lands again (a crash between the warehouse commit and the log ack).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landBatch } from '../../src/events/land/land-batch.js';
import { TableColumns } from '../../src/events/land/table-columns.js';
import { openEmbeddedLog } from '../../src/events/log/index.js';
import type { CollectedEvent } from '../../src/events/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveEngines, uniqueSchema } from '../support/live-engines.js';

function track(id: string, properties: Record<string, unknown>, event = 'Order Completed'): CollectedEvent {
  return {
    messageId: id,
    type: 'track',
    source: 'web',
    userId: `user-${id}`,
    event,
    properties,
    context: { ip: '198.51.100.7', page: { url: 'https://shop.example/cart' } },
    timestamp: '2026-03-01T10:00:00.000Z',
    originalTimestamp: '2026-03-01T09:59:58.000Z',
    sentAt: '2026-03-01T09:59:59.000Z',
    receivedAt: '2026-03-01T10:00:01.000Z',
  };
}

for (const { engine, config } of liveEngines()) {
  describe(`landing events on ${engine.name}`, () => {
    const d = engine.dialect;
    const schema = uniqueSchema('weft_events');
    let warehouse: Warehouse;
    let dir: string;
    const q = (name: string) => d.qualify({ schema, name });
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-land-'));
      warehouse = await engine.open(config, { projectDir: dir });
    }, 60_000);
    afterAll(async () => {
      await warehouse
        ?.execute(`DROP SCHEMA IF EXISTS ${d.quoteIdent(schema)} CASCADE`)
        .catch(() => undefined);
      await warehouse?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('lands tracks and the event table, widens it for new properties and keeps conflicting values as text', async () => {
      const known = new TableColumns();
      await landBatch(warehouse, schema, [track('a1', { revenue: 10, currency: 'EUR' })], known);
      // A new property, and `revenue` sent as text: a new column, and revenue_text.
      await landBatch(warehouse, schema, [track('a2', { revenue: 'ten', coupon: 'X1' })], new TableColumns());
      const rows = await warehouse.query(
        `SELECT id, user_id, event, event_text, revenue, revenue_text, currency, coupon, context_ip, context_page_url FROM ${q('order_completed')} ORDER BY id`,
      );
      expect(rows).toEqual([
        {
          id: 'a1',
          user_id: 'user-a1',
          event: 'order_completed',
          event_text: 'Order Completed',
          revenue: 10,
          revenue_text: null,
          currency: 'EUR',
          coupon: null,
          context_ip: '198.51.100.7',
          context_page_url: 'https://shop.example/cart',
        },
        {
          id: 'a2',
          user_id: 'user-a2',
          event: 'order_completed',
          event_text: 'Order Completed',
          revenue: null,
          revenue_text: 'ten',
          currency: null,
          coupon: 'X1',
          context_ip: '198.51.100.7',
          context_page_url: 'https://shop.example/cart',
        },
      ]);
      const [tracked] = await warehouse.query(`SELECT count(*) AS n FROM ${q('tracks')}`);
      expect(Number(tracked?.n)).toBe(2);
    });

    it('lands a replayed batch once: the log replays after a crash before the ack, the warehouse keeps one row per messageId', async () => {
      const logDir = path.join(dir, 'log');
      const first = await openEmbeddedLog(logDir);
      const events = [
        track('r1', { n: 1 }, 'Replayed'),
        track('r2', { n: 2 }, 'Replayed'),
        { ...track('r3', {}, 'Replayed'), type: 'identify' as const, traits: { email: 'r3@example.com' } },
        track('r1', { n: 1 }, 'Replayed'), // a client retry of r1 in the same batch
      ];
      await first.append(events);
      const batch = await first.read(100, 0);
      await landBatch(warehouse, schema, batch.events, new TableColumns());
      await first.close(); // crash: committed in the warehouse, never acked in the log
      const second = await openEmbeddedLog(logDir);
      const replay = await second.read(100, 0);
      expect(replay.events.map((e) => e.messageId)).toEqual(['r1', 'r2', 'r3', 'r1']);
      await landBatch(warehouse, schema, replay.events, new TableColumns());
      await replay.ack();
      await second.close();
      const ids = await warehouse.query(
        `SELECT id, count(*) AS n FROM ${q('replayed')} GROUP BY id ORDER BY id`,
      );
      expect(ids.map((r) => [r.id, Number(r.n)])).toEqual([
        ['r1', 1],
        ['r2', 1],
      ]);
      const [identify] = await warehouse.query(`SELECT email FROM ${q('identifies')} WHERE id = 'r3'`);
      expect(identify).toEqual({ email: 'r3@example.com' });
    });
  });
}
