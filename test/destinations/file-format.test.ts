import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvCell } from '../../destinations/file/format.js';
import { file, runFilePath } from '../../destinations/file/index.js';
import {
  createDestinationContext,
  type DestinationRecord,
  invokePrimitive,
  parseCsv,
  parseSettings,
} from '../../src/destination-kit/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const context = (format: 'jsonl' | 'csv', runId = 'run 1') =>
  createDestinationContext(file, parseSettings(file, { path: join(dir, 'out'), format }), {
    syncName: 'vip/sync',
    runId,
    mode: 'mirror',
  });
const rec = (key: string, fields: Record<string, unknown>): DestinationRecord => ({
  key,
  op: 'added',
  fields,
});

describe('file destination', () => {
  it('writes one JSONL file per run with a safe name, appending batches in order', async () => {
    const ctx = context('jsonl');
    await invokePrimitive(file, 'upsert', ctx, [rec('a', { n: 1 })]);
    await invokePrimitive(file, 'remove', ctx, [{ key: 'a', op: 'removed', fields: {} }]);
    await invokePrimitive(file, 'upsert', context('jsonl', 'run 2'), [rec('b', { n: 2 })]);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['vip_sync-run_1.jsonl', 'vip_sync-run_2.jsonl']);
    const lines = readFileSync(runFilePath(ctx.settings as never, 'vip/sync', 'run 1'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { op: 'upsert', key: 'a', data: { n: 1 } },
      { op: 'delete', key: 'a', data: null },
    ]);
  });

  it('serialises concurrent batches to one file without interleaving', async () => {
    const ctx = context('jsonl');
    const batches = Array.from({ length: 20 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => rec(`k${b}-${i}`, { text: 'x'.repeat(200) })),
    );
    await Promise.all(batches.map((batch) => invokePrimitive(file, 'upsert', ctx, batch)));
    const keys = readFileSync(join(dir, 'out', 'vip_sync-run_1.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { key: string }).key);
    expect(keys).toHaveLength(1000);
    for (let b = 0; b < 20; b++) {
      const start = keys.indexOf(`k${b}-0`);
      expect(keys.slice(start, start + 50)).toEqual(Array.from({ length: 50 }, (_, i) => `k${b}-${i}`));
    }
  });

  it('writes CSV with one header, quoting, and rejects records with fields outside the header', async () => {
    const ctx = context('csv');
    await invokePrimitive(file, 'upsert', ctx, [rec('a', { name: 'Ann, "A"', n: 1 })]);
    const results = await invokePrimitive(file, 'upsert', ctx, [
      rec('b', { name: 'Bob', n: 2 }),
      rec('c', { extra: 1 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'rejected']);
    const text = readFileSync(join(dir, 'out', 'vip_sync-run_1.csv'), 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('at,op,key,n,name');
    expect(lines[1]).toMatch(/,upsert,a,1,"Ann, ""A"""$/);
    expect(lines[2]).toMatch(/,upsert,b,2,Bob$/);
    expect(lines).toHaveLength(3);
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('keeps accepting later batches when a field name holds a comma or a quote', async () => {
    const ctx = context('csv');
    const fields = (n: number) => ({ 'name, full': `N${n}`, 'say "hi"': n, plain: n });
    await invokePrimitive(file, 'upsert', ctx, [rec('a', fields(1))]);
    const later = await invokePrimitive(file, 'upsert', ctx, [rec('b', fields(2)), rec('c', fields(3))]);
    expect(later.map((r) => r.status)).toEqual(['ok', 'ok']);
    const lines = readFileSync(join(dir, 'out', 'vip_sync-run_1.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('at,op,key,"name, full",plain,"say ""hi"""');
    expect(lines.map((line) => (parseCsv(line)[0] ?? []).slice(2))).toEqual([
      ['key', 'name, full', 'plain', 'say "hi"'],
      ['a', 'N1', '1', '1'],
      ['b', 'N2', '2', '2'],
      ['c', 'N3', '3', '3'],
    ]);
  });

  it('resolves a relative path against the project, not the working directory', async () => {
    const project = join(dir, 'project');
    const ctx = createDestinationContext(file, parseSettings(file, { path: 'audit', format: 'jsonl' }), {
      syncName: 's',
      runId: 'r',
      mode: 'upsert',
      projectDir: project,
    });
    await invokePrimitive(file, 'upsert', ctx, [rec('a', { n: 1 })]);
    expect(readdirSync(join(project, 'audit'))).toEqual(['s-r.jsonl']);
    expect(process.cwd()).not.toBe(project);
  });
});
