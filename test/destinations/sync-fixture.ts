/**
 * Shared set-up for destination tests that go through `runSync`: a temp project directory and
 * an in-memory warehouse per test, a project whose one connection points at a fresh emulator,
 * and the rejections the runs recorded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Project, SyncConfig } from '../../src/config/types.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { memoryWarehouse, projectWith } from '../sync/helpers.js';

/** A running emulator as the per-connector harnesses start it. */
interface StartedEmulator {
  settings: Record<string, unknown>;
  close(): Promise<void>;
}

/** What a test reads from the fixture (fresh for each test). */
export interface SyncFixture<Options, Emulator extends StartedEmulator> {
  readonly dir: string;
  readonly warehouse: Warehouse;
  /** The emulator the last `project` call started in this test. */
  readonly emulator: Emulator;
  /** A project with `syncs` whose connection points at a newly started emulator. */
  project(
    syncs: SyncConfig[],
    options?: Partial<Options>,
    settings?: Record<string, unknown>,
  ): Promise<Project>;
  /** The rejections recorded for `sync`, by key. */
  rejections(sync: string): Promise<Array<{ key: string; reason: string }>>;
}

/** Registers the per-test set-up and tear-down in the calling `describe`. */
export function useSyncFixture<Options, Emulator extends StartedEmulator>(spec: {
  /** Temp directory prefix, e.g. `weft-hubspot-`. */
  prefix: string;
  /** The connection name the syncs use. */
  connection: string;
  /** The connection's destination type. */
  type: string;
  start: (options: Partial<Options>) => Promise<Emulator>;
  /** Settings every connection gets, under the per-call ones. */
  settings?: Record<string, unknown>;
  /** More tables of the `app` source (besides `people`). */
  tables?: string[];
}): SyncFixture<Options, Emulator> {
  let dir: string | undefined;
  let warehouse: Warehouse | undefined;
  let emulator: Emulator | undefined;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), spec.prefix));
    warehouse = await memoryWarehouse();
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    await warehouse?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the sync fixture has no ${what} yet`);
    return value;
  };
  return {
    get dir() {
      return must(dir, 'directory');
    },
    get warehouse() {
      return must(warehouse, 'warehouse');
    },
    get emulator() {
      return must(emulator, 'emulator (call project first)');
    },
    async project(syncs, options = {}, settings = {}) {
      emulator = await spec.start(options);
      const project = projectWith(must(dir, 'directory'), {}, syncs);
      project.config.connections = {
        [spec.connection]: { ...emulator.settings, ...spec.settings, ...settings, type: spec.type },
      };
      for (const table of spec.tables ?? [])
        project.sources[0]?.tables.push({ name: table, identifier: table });
      return project;
    },
    rejections(sync) {
      return must(warehouse, 'warehouse').query<{ key: string; reason: string }>(
        `SELECT key, reason FROM weft_state.sync_rejections WHERE sync = '${sync}' ORDER BY key`,
      );
    },
  };
}
