import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredEngines } from '../../src/warehouse/registry.js';
import type { Warehouse } from '../../src/warehouse/types.js';
import { liveConfig } from '../support/live-engines.js';

for (const engine of registeredEngines()) {
  const dialect = engine.dialect;

  describe(`${engine.name} dialect rowHash`, () => {
    it('refuses an empty expression list and mentions every expression', () => {
      expect(() => dialect.rowHash([])).toThrow();
      const sql = dialect.rowHash(['"a"', '"b"']);
      expect(sql).toContain('"a"');
      expect(sql).toContain('"b"');
    });

    const config = liveConfig(engine);
    if (!config) return;
    let warehouse: Warehouse;
    let projectDir: string;
    beforeAll(async () => {
      projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-rowhash-'));
      warehouse = await engine.open(config, { projectDir });
    });
    afterAll(async () => {
      await warehouse?.close();
      fs.rmSync(projectDir, { recursive: true, force: true });
    });

    const hashOf = async (...values: unknown[]) => {
      const [row] = await warehouse.query(
        `SELECT ${dialect.rowHash(values.map((v) => dialect.literal(v)))} AS h`,
      );
      return String(row?.h);
    };

    it('is a stable lowercase hex digest', async () => {
      const first = await hashOf('a', 1, true);
      expect(first).toMatch(/^[0-9a-f]{16,}$/);
      expect(await hashOf('a', 1, true)).toBe(first);
    });

    it('tells NULL, empty text and shifted values apart', async () => {
      const digests = await Promise.all([
        hashOf(null, 'x'),
        hashOf('', 'x'),
        hashOf('~', 'x'),
        hashOf('x', null),
        hashOf('ab', 'c'),
        hashOf('a', 'bc'),
        hashOf(null, null),
      ]);
      expect(new Set(digests).size).toBe(digests.length);
    });

    it('hashes numbers, dates and booleans of every row', async () => {
      const rows = await warehouse.query(
        `SELECT ${dialect.rowHash(['n', 'd', 'b'])} AS h FROM (VALUES (1, DATE '2024-01-01', true), (2, DATE '2024-01-01', true), (1, DATE '2024-01-02', true), (1, DATE '2024-01-01', false)) AS t(n, d, b)`,
      );
      expect(new Set(rows.map((r) => r.h)).size).toBe(4);
    });
  });
}
