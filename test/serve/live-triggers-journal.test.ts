/**
 * weft serve's triggers on the trigger journal: a stop lands every firing and outcome in
 * trigger_runs; a journal that is gone (first start after an upgrade, or .weft/ deleted) is
 * seeded from trigger_runs, so an event replayed then still fires nothing twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import type { Project } from '../../src/config/types.js';
import { journalDir } from '../../src/realtime/triggers/journal.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';
import { startLiveTriggers } from '../../src/serve/live-triggers.js';
import { closeIdleWarehouses, withWarehouse } from '../../src/warehouse/shared-access.js';
import { load, meterFault, PROFILES, projectFiles, writeProject } from '../realtime/triggers/fixture.js';
import { MemoryProfileReader } from '../realtime/triggers/memory-reader.js';

let webhook: RunningEmulator<WebhookEmulatorState>;
let project: Project;
const lines: string[] = [];

beforeAll(async () => {
  webhook = await startEmulator<unknown, WebhookEmulatorState>(webhookEmulator);
  // The fixture's warehouse is DuckDB :memory:, kept open between units by withWarehouse.
  project = await load(
    writeProject(
      projectFiles({ slack: 'http://127.0.0.1:9/unused', webhook: webhook.settings.url as string }),
    ),
  );
});
afterAll(async () => {
  await closeIdleWarehouses();
  await webhook?.close();
  if (project) fs.rmSync(project.dir, { recursive: true, force: true });
});

const start = () =>
  startLiveTriggers(project, { reader: new MemoryProfileReader(PROFILES), say: (line) => lines.push(line) });
const runs = () =>
  withWarehouse(project, (w) =>
    w.query<{ message_id: string; status: string }>(
      'SELECT message_id, status FROM weft_state.trigger_runs ORDER BY message_id',
    ),
  );

describe('weft serve triggers on the journal', () => {
  it('lands firings and outcomes at stop, and a replay after the journal was deleted fires nothing', async () => {
    const event = meterFault('e-meter', 'M-77', 'major');
    const first = await start();
    if (!first) throw new Error('the fixture project has triggers');
    await first.engine.offer([event]);
    await first.engine.idle();
    await first.close();
    expect(await runs()).toEqual([{ message_id: 'e-meter', status: 'delivered' }]);
    expect(fs.existsSync(path.join(journalDir(project), 'journal.mdb'))).toBe(true);
    const received = webhook.snapshot().state.rowsReceived;

    fs.rmSync(journalDir(project), { recursive: true, force: true });
    const second = await start();
    if (!second) throw new Error('the fixture project has triggers');
    expect(second.journal.seeded).toBe(true);
    await second.beforeLanding({ events: [event], count: 1 } as never);
    await second.engine.idle();
    expect(second.engine.stats()).toMatchObject({ matched: 1, recorded: 0 });
    await second.close();
    expect(webhook.snapshot().state.rowsReceived).toBe(received);
    expect(await runs()).toEqual([{ message_id: 'e-meter', status: 'delivered' }]);
    expect(lines).toEqual([]);
  });
});
