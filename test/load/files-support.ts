/** Helpers of the file-load tests: a temp project with files, and a minimal Project. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Project, SourceDef } from '../../src/config/types.js';

/** A temp directory with `files` (relative path → text) written in it. */
export function tempProject(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-files-'));
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return dir;
}

/** Writes `text` at `name` under `dir`, creating folders. */
export function writeFile(dir: string, name: string, text: string): void {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** The parts of a Project that loads read. */
export function projectAt(dir: string, sources: SourceDef[] = []): Project {
  return {
    dir,
    config: {
      name: 't',
      schema: 'weft',
      state_schema: 'weft_state',
      warehouse: { type: 'duckdb' },
      connections: {},
      vars: {},
    },
    sources,
    models: [],
    audiences: [],
    syncs: [],
    secrets: [],
  } as unknown as Project;
}

/** CSV of the exactness cases: decimals past a double's precision, a 2^53+1 integer, microseconds. */
export const EXACT_CSV = [
  'id,amount,big,ts,day,name',
  '1,19.99,9007199254740993,2024-01-02 03:04:05.123456,2024-02-29,Ann',
  '2,987654321098765.43,-9007199254740993,2024-12-31 23:59:59.000001,1999-12-31,"Bo, Jr."',
  '3,0.10,1,2024-06-01 00:00:00,2000-01-01,',
].join('\n');
