/** What a connector's contract test provides to the shared contract suite. */
import type { DestinationLogger } from '../../src/destination-kit/index.js';
import type { FaultSpec } from '../../src/sandbox/types.js';

/** A fresh destination environment (usually an emulator) for one test. */
export interface ContractHarness {
  /** Raw connection settings (as in weft.yml) that work against the environment. */
  settings: Record<string, unknown>;
  /** Settings that must fail for the whole batch, and the fatal kind expected (auth; config without auth). */
  invalidCredentials: { settings: Record<string, unknown>; kind: 'auth' | 'config' };
  /** Valid destination fields for record number i (default: email, first_name, score). */
  fields?(i: number): Record<string, unknown>;
  /** What the destination holds for a sync now: key → fields as stored. */
  readState(syncName: string): Promise<Record<string, unknown>>;
  /** Sizes of the batches the environment received, in order (when it can tell). */
  batchSizes?(): Promise<number[]>;
  /** Largest batch the environment accepts, when it enforces one (the suite sends one more). */
  maxAcceptedRecords?: number;
  /** The sync's `object` and `match_on` in the environment (default `contacts` and `email`). */
  object?: string;
  matchOn?: string;
  /** List (audience, campaign) id that membership mode writes to in the environment, if the destination needs one. */
  list?: string;
  /** Injects failures (sandbox FaultSpec); absent for destinations without HTTP. */
  injectFaults?(spec: FaultSpec): Promise<void>;
  /** Makes the environment reject records built by `fields` (e.g. a sandbox reject rule). */
  rejection?: { prepare(): Promise<void>; fields(i: number): Record<string, unknown> };
  close(): Promise<void>;
}

/** Builds a harness; called once per test. */
export type MakeHarness = () => Promise<ContractHarness>;

/** Default valid fields. */
export function defaultFields(i: number): Record<string, unknown> {
  return { email: `user${i}@example.com`, first_name: `User ${i}`, score: i };
}

/** A logger that keeps every line (to check that no secret is ever logged). */
export function capturingLogger(): DestinationLogger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`);
  };
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
