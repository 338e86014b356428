#!/usr/bin/env node
// The events demo: starts `weft serve` in process on a throwaway project (DuckDB), sends a burst
// of events through Segment's real client library (@segment/analytics-node), waits for them to
// land and prints what the warehouse holds. `node scripts/demo-events.mjs [COUNT]` after
// `npm run build`. The lead's demo.mjs may call it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Analytics } from '@segment/analytics-node';
import { loadProject } from '../dist/src/config/project.js';
import { startCollector } from '../dist/src/serve/collector.js';
import { withWarehouse } from '../dist/src/warehouse/shared-access.js';

const count = Number(process.argv[2] ?? 1000);
const writeKey = 'demo-write-key-7f3a';
const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-demo-events-'));
writeFileSync(
  path.join(dir, 'weft.yml'),
  `name: demo_events\nwarehouse:\n  type: duckdb\n  path: warehouse.duckdb\nevents:\n  landing_interval_ms: 500\n  sources:\n    shop:\n      write_key: "${writeKey}"\n`,
);
const { project } = await loadProject(dir);
const collector = await startCollector(project, { port: 0 });
console.log(`weft serve on ${collector.url}; sending ${count} events through @segment/analytics-node…`);

const analytics = new Analytics({ writeKey, host: collector.url, flushAt: 100 });
const started = performance.now();
for (let i = 0; i < count; i++) {
  const userId = `customer-${i % 50}`;
  if (i % 10 === 0)
    analytics.identify({ userId, traits: { email: `${userId}@example.com`, plan: i % 20 ? 'free' : 'pro' } });
  else if (i % 10 === 1)
    analytics.page({ userId, name: 'Pricing', properties: { url: 'https://shop.example/pricing' } });
  else
    analytics.track({
      userId,
      event: i % 3 ? 'Product Viewed' : 'Order Completed',
      properties: { sku: `SKU-${i % 17}`, price: 9.5 + (i % 7) },
    });
}
await analytics.closeAndFlush();
const acked = performance.now();
while (collector.lander.landed < count) await new Promise((r) => setTimeout(r, 100));
const landed = performance.now();
await collector.close();
const rows = await withWarehouse(project, (w) =>
  w.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'events' ORDER BY table_name`,
  ),
);
console.log(
  `acknowledged in ${Math.round(acked - started)} ms, all landed ${Math.round(landed - acked)} ms later`,
);
for (const { table_name: table } of rows) {
  const [row] = await withWarehouse(project, (w) => w.query(`SELECT count(*) AS n FROM events."${table}"`));
  console.log(`  events.${table.padEnd(16)} ${Number(row.n)} rows`);
}
const [top] = await withWarehouse(project, (w) =>
  w.query(
    'SELECT sku, count(*) AS orders, sum(price) AS revenue FROM events.order_completed GROUP BY sku ORDER BY revenue DESC LIMIT 1',
  ),
);
console.log(`  best-selling SKU: ${top.sku} (${Number(top.orders)} orders, ${Number(top.revenue)} revenue)`);
rmSync(dir, { recursive: true, force: true });
