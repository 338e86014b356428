/**
 * The lander's worker thread: parses micro-batches of logged events and lands them in the
 * warehouse, off the collector's event loop (a landing of thousands of events parses, shapes
 * and appends for tens of milliseconds, which would otherwise delay every ack behind it). It also
 * lands the trigger journal's rows in trigger_runs, so that neither opening nor closing the
 * DuckDB file (closing checkpoints it, synchronously) ever stalls the collector's thread.
 * Messages are `LandRequest`s; each is answered with one `LandReply`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Project } from '../../config/types.js';
import { landTriggerRuns } from '../../realtime/triggers/runs-table.js';
import { joinThreadTurns } from '../../warehouse/duckdb/thread-turns.js';
import { closeIdleWarehouses, withWarehouse } from '../../warehouse/shared-access.js';
import type { CollectedEvent } from '../types.js';
import { landBatch } from './land-batch.js';
import { TableColumns } from './table-columns.js';
import type { LandingWorkerData, LandReply, LandRequest } from './worker-protocol.js';

const data = workerData as LandingWorkerData;
const port = parentPort;
if (!port) throw new Error('landing-worker.js runs as a worker thread');
joinThreadTurns(data.turns);
const project = { dir: data.dir, config: data.config } as Project;
const known = new TableColumns();
const decoder = new TextDecoder();

/** Requests being handled: `close` waits for them. */
const inFlight = new Set<Promise<unknown>>();

port.on('message', (request: LandRequest) => {
  const handled = handle(request).then((reply) => port.postMessage(reply));
  if (request.type === 'close') return;
  inFlight.add(handled);
  void handled.finally(() => inFlight.delete(handled));
});

async function handle(request: LandRequest): Promise<LandReply> {
  if (request.type === 'close') {
    // The thread is terminated once this answers: a DuckDB call still running in it would then
    // complete into a torn-down thread, and the engine's binding aborts the whole process.
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    await closeIdleWarehouses().catch(() => undefined);
    return { type: 'closed', id: request.id };
  }
  if (request.type === 'trigger_runs') {
    try {
      await withWarehouse(project, (warehouse) =>
        landTriggerRuns(warehouse, request.stateSchema, request.rows, request.updates),
      );
      return { type: 'runs_landed', id: request.id };
    } catch (error) {
      const e = error as Error;
      return { type: 'failed', id: request.id, name: e.name, message: e.message };
    }
  }
  const started = performance.now();
  try {
    const events = parse(request.ndjson);
    const result = await withWarehouse(project, (warehouse) =>
      landBatch(warehouse, data.schema, events, known),
    );
    return {
      type: 'landed',
      id: request.id,
      events: result.events,
      ms: performance.now() - started,
      ...(data.reportMessageIds ? { messageIds: events.map((e) => e.messageId) } : {}),
    };
  } catch (error) {
    const e = error as Error;
    return { type: 'failed', id: request.id, name: e.name, message: e.message };
  }
}

/** The batch's events: one JSON document per line (JSON text never holds a raw newline). */
function parse(ndjson: Uint8Array): CollectedEvent[] {
  const text = decoder.decode(ndjson);
  return text.length === 0 ? [] : (JSON.parse(`[${text.replaceAll('\n', ',')}]`) as CollectedEvent[]);
}
