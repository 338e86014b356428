/**
 * The collector's side of the landing worker thread (landing-worker.ts): hands it batches as one
 * transferred buffer each and awaits its answers. A worker that dies fails the landings in flight
 * (the lander retries them) and is started again by the next landing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Project } from '../../config/types.js';
import type { RunUpdate, TriggerRunRow } from '../../realtime/triggers/runs-table.js';
import { shareThreadTurns } from '../../warehouse/duckdb/thread-turns.js';
import type { LandingWorkerData, LandReply, LandRequest } from './worker-protocol.js';

/** What one landing did. */
export interface WorkerLanded {
  events: number;
  ms: number;
  messageIds?: string[];
}

/** Lands batches in a worker thread. */
export interface LandingWorker {
  /** Lands the events stored as `payloads` (each one event's JSON). */
  land(payloads: readonly Uint8Array[]): Promise<WorkerLanded>;
  /** Lands trigger journal rows and outcomes in `<stateSchema>.trigger_runs` (one transaction). */
  landTriggerRuns(stateSchema: string, rows: TriggerRunRow[], updates: RunUpdate[]): Promise<void>;
  /** Closes the worker's idle warehouse and ends the thread. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (reply: LandReply) => void;
  reject: (error: Error) => void;
}

/** Starts (lazily) a landing worker for `project`, landing into `schema`. */
export function startLandingWorker(
  project: Project,
  schema: string,
  options: { reportMessageIds?: boolean } = {},
): LandingWorker {
  const data: LandingWorkerData = {
    dir: project.dir,
    config: project.config,
    schema,
    turns: shareThreadTurns(),
    reportMessageIds: options.reportMessageIds ?? false,
  };
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const started = new Worker(workerScript(), { workerData: data });
    started.on('message', (reply: LandReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    started.on('error', (error) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`the landing worker failed: ${error.message}`));
    });
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      if (pending.size > 0) failAll(new Error(`the landing worker exited (code ${code})`));
    });
    worker = started;
    return started;
  };

  const send = (request: LandRequest, transfer: ArrayBuffer[] = []): Promise<LandReply> =>
    new Promise<LandReply>((resolve, reject) => {
      pending.set(request.id, { resolve, reject });
      ensure().postMessage(request, transfer);
    });

  return {
    async land(payloads) {
      const ndjson = joinLines(payloads);
      const reply = await send({ type: 'land', id: nextId++, ndjson }, [ndjson.buffer as ArrayBuffer]);
      if (reply.type === 'failed') {
        const error = new Error(reply.message);
        error.name = reply.name;
        throw error;
      }
      if (reply.type !== 'landed') throw new Error(`unexpected reply from the landing worker: ${reply.type}`);
      return {
        events: reply.events,
        ms: reply.ms,
        ...(reply.messageIds ? { messageIds: reply.messageIds } : {}),
      };
    },
    async landTriggerRuns(stateSchema, rows, updates) {
      const reply = await send({ type: 'trigger_runs', id: nextId++, stateSchema, rows, updates });
      if (reply.type === 'failed') {
        const error = new Error(reply.message);
        error.name = reply.name;
        throw error;
      }
      if (reply.type !== 'runs_landed')
        throw new Error(`unexpected reply from the landing worker: ${reply.type}`);
    },
    async close() {
      const running = worker;
      if (!running) return;
      // The worker answers `close` once the requests in flight are done and its warehouses are
      // closed; terminating it before would abort the process (see landing-worker.ts).
      await send({ type: 'close', id: nextId++ }).catch(() => undefined);
      await running.terminate();
    },
  };
}

/** The payloads, newline-separated, in a buffer of their own (transferable: not Node's shared pool). */
function joinLines(payloads: readonly Uint8Array[]): Uint8Array {
  let total = Math.max(0, payloads.length - 1);
  for (const payload of payloads) total += payload.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const [i, payload] of payloads.entries()) {
    if (i > 0) out[offset++] = 0x0a;
    out.set(payload, offset);
    offset += payload.length;
  }
  return out;
}

/**
 * The compiled worker script beside this module. Run from TypeScript sources (the test runner),
 * the compiled copy under dist/ is used: `npm test` builds first.
 */
function workerScript(): URL {
  const beside = new URL('./landing-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const compiled = new URL(beside.href.replace('/src/events/land/', '/dist/src/events/land/'));
  if (existsSync(fileURLToPath(compiled))) return compiled;
  throw new Error(`the landing worker script is missing (${fileURLToPath(beside)}): run npm run build`);
}
