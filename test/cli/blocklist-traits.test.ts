/**
 * Blocklisted identifier values never reach traits (issue 19, item 4), through the compiled CLI on
 * the `weft init` scaffold, whose identity.yml blocklists `*@example.com`: a customer whose only
 * email is blocklisted keeps a profile (by customer_id) with an empty email trait.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, tempDir, weftIn } from './run-weft.js';

const root = tempDir('weft-blocklist-traits-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a blocklisted email', () => {
  it('identifies nobody and is not a trait; the person keeps their other identifiers and traits', async () => {
    const dir = path.join(root, 'shop');
    expect((await weftIn(root, ['init', dir])).code).toBe(0);
    fs.appendFileSync(
      path.join(dir, 'data/customers.csv'),
      '199,Zed@Example.com,Zed,Zee,2025-03-01 10:00:00\n',
    );
    const build = await weftIn(dir, ['build', '--json']);
    expect(build.code, build.stdout).toBe(0);
    const profile = async (id: string) => {
      const run = await weftIn(dir, ['profile', id, '--json']);
      expect(run.code, run.stdout).toBe(0);
      return jsonLines(run.stdout)[0] as {
        identifiers: Array<{ type: string }>;
        traits: Record<string, unknown>;
      };
    };
    const zed = await profile('customer_id:199');
    expect(zed.traits).toMatchObject({ email: null, first_name: 'Zed' });
    expect(zed.identifiers.map((i) => i.type)).toEqual(['customer_id']);
    const ann = await profile('customer_id:100'); // a real address is a trait as usual
    expect(ann.traits.email).toBe('ann.lee@mail.test');
  }, 60_000);
});
