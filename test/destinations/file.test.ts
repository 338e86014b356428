import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runContractSuite } from '../destination-kit/contract-suite.js';
import type { ContractHarness } from '../destination-kit/harness.js';

/** Replays a sync's JSONL audit files in name order (= run order, see the suite's run ids) into key → last data. */
function replay(dir: string, sync: string): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  const files = readdirSync(dir)
    .filter((name) => name.startsWith(`${sync}-`))
    .sort();
  for (const name of files) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line === '') continue;
      const row = JSON.parse(line) as { op: string; key: string; data: unknown };
      if (row.op === 'delete' || row.op === 'remove') delete state[row.key];
      else state[row.key] = row.data;
    }
  }
  return state;
}

async function fileHarness(): Promise<ContractHarness> {
  const root = mkdtempSync(join(tmpdir(), 'weft-file-dest-'));
  const dir = join(root, 'audit');
  // A regular file where a directory should be: every write fails with ENOTDIR (config).
  const blocker = join(root, 'not-a-dir');
  writeFileSync(blocker, 'x');
  return {
    settings: { type: 'file', path: dir, format: 'jsonl' },
    invalidCredentials: { settings: { type: 'file', path: join(blocker, 'audit') }, kind: 'config' },
    readState: async (sync) => {
      try {
        return replay(dir, sync);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw error;
      }
    },
    close: async () => rmSync(root, { recursive: true, force: true }),
  };
}

// Files have no HTTP faults to inject and accept every JSONL record.
runContractSuite('file', fileHarness, { faults: false, rejection: false });
