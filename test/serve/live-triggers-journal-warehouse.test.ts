/**
 * The trigger journal belongs to one warehouse: pointed at another warehouse (here a new DuckDB
 * file), `weft serve`'s triggers seed the journal again from that warehouse's trigger_runs, so its
 * firings are recorded there (the old dedupe state does not swallow them); pointed back, the
 * journal is seeded from the first warehouse again and an event already fired there fires nothing.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEmulatorState, webhookEmulator } from '../../destinations/webhook/emulator.js';
import type { Project } from '../../src/config/types.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/index.js';
import { startLiveTriggers } from '../../src/serve/live-triggers.js';
import { closeIdleWarehouses, withWarehouse } from '../../src/warehouse/shared-access.js';
import { load, meterFault, PROFILES, projectFiles, writeProject } from '../realtime/triggers/fixture.js';
import { MemoryProfileReader } from '../realtime/triggers/memory-reader.js';

let webhook: RunningEmulator<WebhookEmulatorState>;
let base: Project;
const lines: string[] = [];

beforeAll(async () => {
  webhook = await startEmulator<unknown, WebhookEmulatorState>(webhookEmulator);
  base = await load(
    writeProject(
      projectFiles({ slack: 'http://127.0.0.1:9/unused', webhook: webhook.settings.url as string }),
    ),
  );
});
afterAll(async () => {
  await closeIdleWarehouses();
  await webhook?.close();
  if (base) fs.rmSync(base.dir, { recursive: true, force: true });
});

/** The project with its warehouse at `file` (in the project folder). */
const on = (file: string): Project => ({
  ...base,
  config: { ...base.config, warehouse: { type: 'duckdb', path: file } },
});

/** Starts triggers, offers `event`, waits, stops; answers the engine's stats. */
async function fire(project: Project, messageId: string) {
  const triggers = await startLiveTriggers(project, {
    reader: new MemoryProfileReader(PROFILES),
    say: (line) => lines.push(line),
  });
  if (!triggers) throw new Error('the fixture project has triggers');
  await triggers.engine.offer([meterFault(messageId, 'M-77', 'major')]);
  await triggers.engine.idle();
  const stats = triggers.engine.stats();
  await triggers.close();
  await closeIdleWarehouses();
  return stats;
}

const runs = (project: Project) =>
  withWarehouse(project, (w) =>
    w.query<{ message_id: string; status: string }>(
      'SELECT message_id, status FROM weft_state.trigger_runs ORDER BY message_id',
    ),
  );

describe('the trigger journal and the warehouse it belongs to', () => {
  it('is seeded again when the project points at another warehouse, and back', async () => {
    const first = on('first.duckdb');
    const second = on('second.duckdb');
    expect(await fire(first, 'e-1')).toMatchObject({ matched: 1, recorded: 1 });
    expect(await runs(first)).toEqual([{ message_id: 'e-1', status: 'delivered' }]);
    expect(lines).toEqual([]);

    // A new warehouse knows nothing of e-1: the journal starts over from it, e-1 fires there.
    expect(await fire(second, 'e-1')).toMatchObject({ matched: 1, recorded: 1 });
    expect(await runs(second)).toEqual([{ message_id: 'e-1', status: 'delivered' }]);
    expect(lines).toEqual([
      "triggers: the journal was filled from another warehouse: seeded again from this one's trigger_runs",
    ]);

    // Back on the first warehouse: seeded from its trigger_runs, where e-1 is: it fires nothing.
    lines.length = 0;
    expect(await fire(first, 'e-1')).toMatchObject({ matched: 1, recorded: 0 });
    expect(await runs(first)).toEqual([{ message_id: 'e-1', status: 'delivered' }]);
    expect(lines).toHaveLength(1);
    // The same warehouse again: the journal is kept (nothing said, the replay deduped by it).
    lines.length = 0;
    expect(await fire(first, 'e-1')).toMatchObject({ matched: 1, recorded: 0 });
    expect(lines).toEqual([]);
  });
});
