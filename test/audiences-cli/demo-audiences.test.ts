/**
 * The demo project's audiences on a real seed + build (2000 people, as_of 2025-06-01): each is
 * non-empty, and their members really match what the audience says (checked against profiles).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectOrThrow } from '../../src/config/index.js';
import type { Project } from '../../src/config/types.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import { jsonLines, repoRoot, runWeft, tempDir } from '../cli/run-weft.js';

const AS_OF = "TIMESTAMP '2025-06-01 00:00:00'";
const daysAgo = (n: number) => `(${AS_OF} - INTERVAL ${n} DAY)`;

/** A copy of the demo project (models, weft.yml with its as_of) seeded and built. */
async function builtDemo(): Promise<string> {
  const dir = tempDir('weft-demo-audiences-');
  fs.cpSync(path.join(repoRoot, 'models'), path.join(dir, 'models'), { recursive: true });
  const weft = fs.readFileSync(path.join(repoRoot, 'weft.yml'), 'utf8');
  fs.writeFileSync(path.join(dir, 'weft.yml'), weft.replace(/path: \S+/, 'path: demo.duckdb'));
  const seed = await runWeft(['seed', '--people', '2000', '--seed', '7', '--project', dir]);
  expect(seed.code, seed.stderr).toBe(0);
  // An inherited WEFT_AS_OF would override weft.yml's as_of; empty means unset.
  const build = await runWeft(['build', '--project', dir, '--json'], { env: { WEFT_AS_OF: '' } });
  expect(build.code, build.stderr).toBe(0);
  return dir;
}

describe('demo audiences', () => {
  let dir: string;
  let project: Project;
  /** Counts rows of `FROM …` text. The warehouse is opened per call: the CLI needs the file too. */
  const count = async (from: string) => {
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
    try {
      return Number((await warehouse.query(`SELECT count(*) AS n FROM ${from}`))[0]?.n);
    } finally {
      await warehouse.close();
    }
  };

  beforeAll(async () => {
    dir = await builtDemo();
    project = await loadProjectOrThrow(dir, { env: {} });
  }, 180_000);
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the demo declares the marketing asks, and every one is non-empty', async () => {
    const names = project.audiences.map((a) => a.value.name).sort();
    expect(names).toEqual([
      'cart_abandoners',
      'churn_risk',
      'enterprise_accounts',
      'high_value_recent',
      'pricing_big_accounts',
      'unsubscribed',
      'vip_top_spenders',
      'win_back',
    ]);
    for (const name of names) expect(await count(`weft.audience_${name}`), name).toBeGreaterThan(0);
  });

  it('top spenders: exactly the VIPs with $3,000 or more', async () => {
    const expected = `weft.audience_high_value_recent v JOIN weft.profiles p USING (profile_id)
      WHERE p.lifetime_value >= 3000`;
    expect(await count('weft.audience_vip_top_spenders')).toBe(await count(expected));
  });

  it('churn risk: exactly the profiles with paid orders and no order, visit or app event in 90 days', async () => {
    const matching = `weft.profiles WHERE order_count >= 1
      AND coalesce(last_order_at < ${daysAgo(90)}, TRUE)
      AND coalesce(last_seen_at < ${daysAgo(90)}, TRUE)
      AND coalesce(last_app_open_at < ${daysAgo(90)}, TRUE)`;
    const members = await count('weft.audience_churn_risk');
    expect(members).toBe(await count(matching));
    expect(
      await count(`weft.audience_churn_risk c JOIN weft.profiles p USING (profile_id)
        WHERE p.order_count < 1 OR p.last_order_at >= ${daysAgo(90)}
          OR p.last_seen_at >= ${daysAgo(90)} OR p.last_app_open_at >= ${daysAgo(90)}`),
    ).toBe(0);
  });

  it('high value and recent: $500+, ordered in the last 90 days, never unsubscribed', async () => {
    expect(
      await count(`weft.audience_high_value_recent h JOIN weft.profiles p USING (profile_id)
        WHERE p.lifetime_value < 500 OR p.last_order_at < ${daysAgo(90)} OR p.newsletter_subscribed = FALSE`),
    ).toBe(0);
  });

  it('pricing-page visitors are on pro or enterprise plans', async () => {
    expect(
      await count(`weft.audience_pricing_big_accounts a JOIN weft.profiles p USING (profile_id)
        WHERE p.plan NOT IN ('pro', 'enterprise') OR p.pricing_page_views < 1`),
    ).toBe(0);
  });

  it('win_back splits into a small control and a large treatment arm, each with its own view', async () => {
    const total = await count('weft.audience_win_back');
    const control = await count('weft.audience_win_back_control');
    const treatment = await count('weft.audience_win_back_treatment');
    expect(control + treatment).toBe(total);
    expect(control).toBeGreaterThan(0);
    expect(control).toBeLessThan(treatment);
  });

  it('the build recorded audience_state; weft audience list and preview read the real views', async () => {
    const list = await runWeft(['audience', 'list', '--project', dir, '--json']);
    expect(list.code, list.stderr).toBe(0);
    const listed = jsonLines(list.stdout) as Array<{ name: string; size: number; changed_at: string }>;
    for (const a of listed) {
      expect(a.size, a.name).toBe(await count(`weft.audience_${a.name}`));
      expect(a.changed_at).toMatch(/^\d{4}-/);
    }
    const preview = await runWeft(['audience', 'preview', 'win_back', '--project', dir, '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    const [out] = jsonLines(preview.stdout) as Array<{
      arms: Array<{ arm: string; size: number }>;
      overlaps: Array<{ audience: string; overlap: number }>;
    }>;
    expect(out?.arms.map((a) => a.arm)).toEqual(['control', 'treatment']);
    // win_back excludes unsubscribed people, so they never overlap.
    expect(out?.overlaps.find((o) => o.audience === 'unsubscribed')?.overlap).toBe(0);
  });

  it('a rebuild with the same members keeps changed_at and moves built_at', async () => {
    const listed = async () => {
      const res = await runWeft(['audience', 'list', '--project', dir, '--json']);
      expect(res.code, res.stderr).toBe(0);
      return jsonLines(res.stdout) as Array<{ name: string; built_at: string; changed_at: string }>;
    };
    const before = await listed();
    const rebuild = await runWeft(['build', '--select', 'audiences', '--project', dir, '--json'], {
      env: { WEFT_AS_OF: '' },
    });
    expect(rebuild.code, rebuild.stderr).toBe(0);
    const after = await listed();
    for (const [i, a] of after.entries()) {
      expect(a.changed_at, a.name).toBe(before[i]?.changed_at);
      expect(a.built_at > (before[i]?.built_at ?? ''), a.name).toBe(true);
    }
  });
});
