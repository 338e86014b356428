/** Messages between the lander (collector thread) and its landing worker thread. */
import type { WeftConfig } from '../../config/types.js';
import type { RunUpdate, TriggerRunRow } from '../../realtime/triggers/runs-table.js';

/** What the worker starts with. */
export interface LandingWorkerData {
  dir: string;
  config: WeftConfig;
  /** The events schema to land in. */
  schema: string;
  /** Turn-taking on DuckDB files with the collector's thread (thread-turns.ts). */
  turns: SharedArrayBuffer;
  /** Reply with the landed batch's messageIds (benchmarks and tests measure per event). */
  reportMessageIds: boolean;
}

/**
 * Land one batch (`ndjson`: the events' JSON, one per line), land trigger_runs rows and outcomes
 * from the trigger journal (`stateSchema`.trigger_runs, one transaction), or close.
 */
export type LandRequest =
  | { type: 'land'; id: number; ndjson: Uint8Array }
  | { type: 'trigger_runs'; id: number; stateSchema: string; rows: TriggerRunRow[]; updates: RunUpdate[] }
  | { type: 'close'; id: number };

/** The answer to one request. */
export type LandReply =
  | { type: 'landed'; id: number; events: number; ms: number; messageIds?: string[] }
  | { type: 'runs_landed'; id: number }
  | { type: 'failed'; id: number; name: string; message: string }
  | { type: 'closed'; id: number };
