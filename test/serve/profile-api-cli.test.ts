/**
 * The serving store through the compiled CLI, on the demo project seeded with 60 people:
 * `weft build` loads it (full, then incremental); a running `weft serve` (no events sources: the
 * profile API alone) answers the profile and personalization APIs from it, and sees the next
 * `weft build`'s load (another process) at once.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { repoRoot, runWeft } from '../cli/run-weft.js';
import { waitFor } from './project.js';

const dir = mkdtempSync(path.join(tmpdir(), 'weft-profile-cli-'));
cpSync(path.join(repoRoot, 'models'), path.join(dir, 'models'), { recursive: true });
writeFileSync(
  path.join(dir, 'weft.yml'),
  // The demo's own real-time blocks (events:, serve:, last in its weft.yml) are left out: this test
  // brings its own serve: block, and needs no MQTT broker.
  `${readFileSync(path.join(repoRoot, 'weft.yml'), 'utf8').replace(/^# Real time[\s\S]*$/m, '')}
serve:
  viewer_key: "{{env 'TEST_VIEWER_KEY' 'viewer-key-0123456789'}}"
  publishable_keys: [pk_test_site]
  public: { traits: [first_name], audiences: [high_value_recent] }
`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function weftJson(args: string[]): Promise<Record<string, unknown>> {
  const run = await runWeft([...args, '--project', dir, '--json']);
  if (run.code !== 0) throw new Error(`weft ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

async function query(sql: string) {
  const warehouse = await openWarehouse(
    { type: 'duckdb', path: '.weft/warehouse.duckdb' },
    { projectDir: dir },
  );
  try {
    return await warehouse.query(sql);
  } finally {
    await warehouse.close();
  }
}

describe('the serving store through weft build and weft serve', () => {
  it('is loaded by each build and read live by a running serve', { timeout: 180_000 }, async () => {
    await weftJson(['seed', '--people', '60']);
    const first = await weftJson(['build']);
    expect(first.serving_store).toMatchObject({ status: 'loaded', mode: 'full' });
    const [person] =
      await query(`SELECT p.profile_id, p.first_name, e.id_value AS email, a.id_value AS anonymous_id
FROM weft.profiles p
JOIN weft.identity_map e ON e.profile_id = p.profile_id AND e.id_type = 'email'
JOIN weft.identity_map a ON a.profile_id = p.profile_id AND a.id_type = 'anonymous_id'
JOIN weft.identity_map u ON u.profile_id = p.profile_id AND u.id_type = 'user_id'
WHERE p.first_name IS NOT NULL ORDER BY p.profile_id LIMIT 1`);
    if (!person)
      throw new Error('the seeded demo has no profile with an email, an anonymous id and a user id');
    const again = await weftJson(['build']);
    expect(again.serving_store).toMatchObject({ status: 'loaded', mode: 'incremental', written: 0 });

    const serve = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist/src/cli/main.js'), 'serve', '--project', dir, '--port', '0', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    serve.stdout.on('data', (d) => {
      out += d;
    });
    try {
      const line = await waitFor(
        'serve to start',
        async () => out.split('\n').find((l) => l.startsWith('{')),
        60_000,
      );
      const { url } = JSON.parse(line) as { url: string };
      const viewer = { authorization: 'Bearer viewer-key-0123456789' };
      const byEmail = async () => {
        const response = await fetch(
          `${url}/v1/profiles/email:${encodeURIComponent(` ${String(person.email).toUpperCase()} `)}`,
          {
            headers: viewer,
          },
        );
        return (await response.json()) as { profile_id: string; traits: Record<string, unknown> };
      };
      expect(await byEmail()).toMatchObject({
        profile_id: person.profile_id,
        traits: { first_name: person.first_name },
      });
      const personalized = await fetch(
        `${url}/v1/personalize?key=pk_test_site&anonymousId=${encodeURIComponent(String(person.anonymous_id))}`,
      );
      const body = (await personalized.json()) as { traits: Record<string, unknown> };
      expect(body.traits).toEqual({ first_name: person.first_name });

      // The shop renames the person; the next build (another process) reaches the running serve.
      await query(`UPDATE raw.customers SET first_name = 'Zed' WHERE trim(customer_id) IN
  (SELECT id_value FROM weft.identity_map WHERE id_type = 'user_id' AND profile_id = '${String(person.profile_id)}')`);
      const third = await weftJson(['build']);
      expect(third.serving_store).toMatchObject({ status: 'loaded', mode: 'incremental' });
      expect((third.serving_store as { written: number }).written).toBeGreaterThanOrEqual(1);
      expect((await byEmail()).traits.first_name).toBe('Zed');
    } finally {
      serve.kill('SIGTERM');
      await new Promise((resolve) => serve.once('exit', resolve));
    }
  });
});
