/**
 * The console's acceptance tests: playwright-core drives Debian's Chromium (/usr/bin/chromium,
 * headless) against one built demo (fixture.ts) served by the console. Skipped only when Chromium
 * is missing and WEFT_REQUIRE_CHROMIUM is unset (CI sets it). Screenshots go to docs/img/ with
 * WEFT_UPDATE_SCREENSHOTS=1 (docs/console.md shows them; JPEG, quality 80), else to a temporary folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileEach } from '../../src/audiences/compile.js';
import { previewAudience } from '../../src/audiences/inspect/index.js';
import { buildProject } from '../../src/build/index.js';
import { relationKind } from '../../src/build/relations.js';
import { compileProject } from '../../src/compiler/compile.js';
import { formatIssue, loadProject } from '../../src/config/project.js';
import { exportPerson } from '../../src/privacy/export.js';
import { maskReason } from '../../src/sync/state/mask-reason.js';
import { getEngine, openWarehouse } from '../../src/warehouse/registry.js';
import type { Row } from '../../src/warehouse/types.js';
import { repoRoot } from '../cli/run-weft.js';
import {
  type ConsoleBrowser,
  chromiumAvailable,
  consoleBrowser,
  dropScreenshots,
  screenshotsDir,
} from './browser.js';
import { type ConsoleFixture, consoleFixture, PARTIAL_SYNC } from './fixture.js';

const available = chromiumAvailable();
const shots = screenshotsDir();

/** A screenshot of the viewport as JPEG, quality 80 (docs/img stays small). */
const shot = (name: string) => ({
  path: path.join(shots, `${name}.jpg`),
  type: 'jpeg' as const,
  quality: 80,
});

describe.runIf(available)('the web console in Chromium', () => {
  let fixture: ConsoleFixture;
  let browser: ConsoleBrowser;
  /** Every response body the signed-in tabs received, to look for secrets in. */
  const received = (): string[] => browser.received;

  const query = (sql: string): Promise<Row[]> => fixture.query(sql);

  /** `weft audience preview NAME`'s size (the function the command prints). */
  const preview = async (name: string): Promise<number> => {
    const project = await fixture.project();
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: fixture.dir });
    try {
      return (await previewAudience(warehouse, project, name)).size;
    } finally {
      await warehouse.close();
    }
  };

  const signedIn = (key: string): Promise<Page> => browser.signedIn(key);

  beforeAll(async () => {
    fixture = await consoleFixture();
    browser = await consoleBrowser(fixture.url);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await fixture?.dispose();
    dropScreenshots(shots);
  });

  it('refuses a wrong key: 401 and nothing else, and the browser stays on the sign-in form', async () => {
    for (const path of ['session', 'overview', 'profiles?q=x', 'audiences', 'lineage', 'no-such-endpoint']) {
      const response = await fetch(`${fixture.url}/console/api/${path}`, {
        headers: { authorization: 'Bearer wrong-key' },
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ success: false, error: 'sign in with a console key' });
    }
    const page = await browser.context.newPage();
    await page.goto(`${fixture.url}/`);
    await page.getByLabel('Console key').fill('wrong-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toMatch(/sign in with a console key/);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await page.close();
  });

  it('finds a demo customer by email typed in mixed case with spaces: traits, audiences, destinations', async () => {
    // A VIP (synced to several destinations) with an email, chosen from the warehouse.
    const [vip] = await query(`SELECT m.profile_id, min(i.id_value) AS email FROM weft.audience_members m
      JOIN weft.identity_map i ON i.profile_id = m.profile_id AND i.id_type = 'email'
      WHERE m.audience = 'high_value_recent' GROUP BY m.profile_id ORDER BY m.profile_id LIMIT 1`);
    expect(vip).toBeDefined();
    const email = String(vip?.email);
    const project = await fixture.project();
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: fixture.dir });
    const expected = await exportPerson(project, warehouse, `email:${email}`).finally(() =>
      warehouse.close(),
    );
    const audiences = (expected.sections.audiences as Array<{ audience: string }>).map((a) => a.audience);
    const syncs = [...new Set(expected.destinations.map((d) => d.sync))];
    expect(audiences).toContain('high_value_recent');
    expect(syncs.length).toBeGreaterThan(1);

    const page = await signedIn(fixture.keys.viewer);
    await page.getByRole('link', { name: 'Profiles' }).click();
    const typed = `  ${email.toUpperCase().slice(0, 3)}${email.slice(3)}  `;
    await page.getByLabel('Find a person by any identifier').fill(typed);
    await page.keyboard.press('Enter');
    const traits = page.getByTestId('traits');
    await traits.waitFor();
    expect(await page.locator('#profile-h').textContent()).toContain(String(vip?.profile_id));
    const traitText = await traits.textContent();
    expect(traitText).toContain('lifetime_value');
    expect(traitText).toContain(email);
    expect((await page.getByTestId('audiences').getByRole('listitem').allTextContents()).sort()).toEqual(
      [...audiences].sort(),
    );
    const reached = await page
      .getByTestId('destinations')
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(reached.sort()).toEqual([...syncs].sort());
    expect(await page.getByTestId('identifiers').textContent()).toContain(email);
    await page.screenshot(shot('console-profile'));
  });

  it('opens a partial sync run: rejected rows grouped by masked reason, with payloads and the destination message', async () => {
    const [run] = await query(
      `SELECT run_id FROM weft_state.sync_runs WHERE sync = '${PARTIAL_SYNC}' AND status = 'partial' ORDER BY started_at DESC LIMIT 1`,
    );
    expect(run).toBeDefined();
    const rejected = await query(
      `SELECT key, reason FROM weft_state.sync_rejections WHERE run_id = '${String(run?.run_id)}'`,
    );
    const groups = new Map<string, number>();
    for (const r of rejected)
      groups.set(maskReason(String(r.reason)), (groups.get(maskReason(String(r.reason))) ?? 0) + 1);
    // The two bounce rules quote different values: one group, and both messages in it.
    expect(groups.get('Email "…" bounced: mailbox does not exist')).toBeGreaterThan(1);

    const page = await signedIn(fixture.keys.viewer);
    await page.getByRole('link', { name: PARTIAL_SYNC }).click();
    await page.getByTestId('runs').waitFor();
    expect(await page.locator('figure.chart svg').count()).toBeGreaterThan(0);
    await page.screenshot(shot('console-sync'));
    await page.getByRole('link', { name: String(run?.run_id) }).click();
    await page.getByTestId('reason-group').first().waitFor();
    const shown = [];
    for (const group of await page.getByTestId('reason-group').all())
      shown.push({
        reason: (await group.locator('.reason').textContent()) ?? '',
        messages: await group.getByTestId('destination-message').allTextContents(),
        payloads: await group.locator('.payload').allTextContents(),
      });
    expect(new Map(shown.map((g) => [g.reason, g.messages.length]))).toEqual(groups);
    const bounce = shown.find((g) => g.reason.startsWith('Email'));
    const messages = rejected.map((r) => String(r.reason)).filter((r) => r.startsWith('Email'));
    expect(new Set(messages).size).toBe(2);
    expect(new Set(bounce?.messages)).toEqual(new Set(messages));
    // Each payload is the row as the sync maps it (the email the destination refused).
    for (const payload of bounce?.payloads ?? []) expect(JSON.parse(payload).email).toMatch(/^[a-f]/);
    await page.screenshot(shot('console-run'));
  });

  it('builds an audience whose live size is the preview size; Save writes YAML that validate and build accept', async () => {
    const page = await signedIn(fixture.keys.editor);
    expect(await page.getByTestId('role').textContent()).toBe('editor');
    // An existing audience first: the builder's size equals `weft audience preview`'s.
    const existing = await preview('high_value_recent');
    await page.goto(`${fixture.url}/#/audiences/high_value_recent`);
    await expect
      .poll(() => page.getByTestId('live-size').textContent(), { timeout: 15_000 })
      .toBe(existing.toLocaleString('en-US'));

    const name = 'console_big_spenders';
    await page.goto(`${fixture.url}/#/audiences/new`);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('where › condition 1 trait').selectOption('lifetime_value');
    await page.getByLabel('where › condition 1 operator').selectOption('gte');
    await page.getByLabel('where › condition 1 value').fill('200');
    await page.getByRole('button', { name: '+ event' }).first().click();
    await page.getByLabel('where › condition 2 event').selectOption('stg_shop_orders');
    await page.getByLabel('where › condition 2 within days').fill('120');
    await page.getByRole('button', { name: '+ exclusion' }).click();
    await page.getByLabel('exclude audience').selectOption('unsubscribed');
    await page.getByLabel('Columns exported (traits, comma separated)').fill('email, lifetime_value');
    const size = page.getByTestId('live-size');
    await expect
      .poll(async () => (await size.getAttribute('aria-busy')) === 'false' && (await size.textContent()), {
        timeout: 15_000,
      })
      .toMatch(/^[\d,]+$/);
    const live = Number((await size.textContent())?.replace(/,/g, ''));
    await page.screenshot(shot('console-audience-builder'));
    await page.getByRole('button', { name: 'Review YAML' }).click();
    expect(await page.getByTestId('diff').textContent()).toContain(`+ name: ${name}`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('saved').waitFor();

    const file = path.join(fixture.dir, 'models', 'audiences', `${name}.yml`);
    expect(readFileSync(file, 'utf8')).toMatch(/lifetime_value/);
    // What `weft validate` checks: every file loads, every model and audience compiles.
    const { project: saved, issues } = await loadProject(fixture.dir);
    expect(issues.map((i) => formatIssue(i))).toEqual([]);
    expect(() => compileProject(saved!, getEngine('duckdb').dialect)).not.toThrow();
    expect(
      compileEach(saved!, getEngine('duckdb').dialect).find((e) => e.name === name)?.error,
    ).toBeUndefined();
    // `weft build` of the audiences (what the CLI runs), then `weft audience preview`'s numbers.
    const project = await fixture.project();
    const warehouse = await openWarehouse(project.config.warehouse, { projectDir: fixture.dir });
    try {
      const built = await buildProject(project, warehouse, { select: 'audiences' });
      expect(built.audiences?.status, built.audiences?.error).toBe('success');
      expect(await relationKind(warehouse, { schema: 'weft', name: `audience_${name}` })).toBe('view');
    } finally {
      await warehouse.close();
    }
    expect(await preview(name)).toBe(live);
  }, 60_000);

  it('round-trips an edited audience file: comments and layout stay, only the changed line differs', async () => {
    const headers = { authorization: `Bearer ${fixture.keys.editor}`, 'content-type': 'application/json' };
    const file = (await (
      await fetch(`${fixture.url}/console/api/audiences/high_value_recent`, { headers })
    ).json()) as {
      yaml: string;
      value: { where: { all: Array<{ value?: unknown }> } };
    };
    const value = structuredClone(file.value);
    (value.where.all[0] as { value: number }).value = 400;
    const diff = (await (
      await fetch(`${fixture.url}/console/api/audiences/diff`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ audience: value }),
      })
    ).json()) as { yaml: string; diff: Array<{ op: string; text: string }> };
    const changed = diff.diff.filter((l) => l.op !== ' ');
    expect(changed).toEqual([
      { op: '-', text: '    - { trait: lifetime_value, op: gte, value: 500 }' },
      { op: '+', text: '    - { trait: lifetime_value, op: gte, value: 400 }' },
    ]);
    expect(diff.yaml).toBe(file.yaml.replace('op: gte, value: 500', 'op: gte, value: 400'));
  });

  it('a viewer cannot save or sync, in the page or through the API', async () => {
    const page = await signedIn(fixture.keys.viewer);
    await page.goto(`${fixture.url}/#/syncs/${PARTIAL_SYNC}`);
    await page.getByTestId('runs').waitFor();
    expect(await page.getByRole('button', { name: /Sync now|Plan now/ }).count()).toBe(0);
    await page.goto(`${fixture.url}/#/audiences/high_value_recent`);
    await page.getByRole('button', { name: 'Review YAML' }).click();
    await page.getByTestId('viewer-no-save').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    const headers = { authorization: `Bearer ${fixture.keys.viewer}`, 'content-type': 'application/json' };
    const before = readFileSync(path.join(fixture.dir, 'models/audiences/high_value_recent.yml'), 'utf8');
    const save = await fetch(`${fixture.url}/console/api/audiences/save`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        audience: { name: 'high_value_recent', where: { trait: 'plan', op: 'eq', value: 'x' } },
      }),
    });
    expect(save.status).toBe(403);
    expect(readFileSync(path.join(fixture.dir, 'models/audiences/high_value_recent.yml'), 'utf8')).toBe(
      before,
    );
    const runsBefore = await query(`SELECT count(*) AS n FROM weft_state.sync_runs`);
    for (const action of ['sync', 'plan']) {
      const response = await fetch(`${fixture.url}/console/api/syncs/${PARTIAL_SYNC}/${action}`, {
        method: 'POST',
        headers,
      });
      expect(response.status).toBe(403);
    }
    expect(await query(`SELECT count(*) AS n FROM weft_state.sync_runs`)).toEqual(runsBefore);
  });

  it('works from the keyboard and reads at 1280×800 on every page', async () => {
    const page = await signedIn(fixture.keys.viewer);
    await page.goto(`${fixture.url}/#/`);
    await page.reload(); // focus starts at the top of a fresh page (the key stays in sessionStorage)
    await page.getByTestId('syncs').waitFor();
    // Tab from the top of the page to the Profiles link, open it, search, all without the mouse.
    await page.locator('body').focus();
    const focused = () => page.evaluate<string>("document.activeElement?.outerHTML.slice(0, 80) ?? ''");
    const trail: string[] = [];
    let reached = '';
    for (let i = 0; i < 12 && reached !== 'Profiles'; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate<string>("document.activeElement?.textContent ?? ''");
      trail.push(await focused());
    }
    expect(reached, trail.join('\n')).toBe('Profiles');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate<string>('window.location.hash'), { timeout: 5000 })
      .toBe('#/profiles');
    // The hash changes before the page renders: wait for the search box, or Tab walks the old page.
    await page.locator('#q').waitFor();
    await page.keyboard.press('Tab'); // Sign out … then the search box, in page order
    let field = '';
    for (let i = 0; i < 10 && field !== 'q'; i++) {
      field = await page.evaluate<string>("document.activeElement?.id ?? ''");
      trail.push(await focused());
      if (field !== 'q') await page.keyboard.press('Tab');
    }
    expect(field, trail.join('\n')).toBe('q');
    // Focus is visible (an outline) on focused controls.
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe(
      'none',
    );
    for (const hash of [
      '#/',
      `#/syncs/${PARTIAL_SYNC}`,
      '#/profiles',
      '#/audiences',
      '#/audiences/high_value_recent',
      '#/lineage',
    ]) {
      await page.goto(`${fixture.url}/${hash}`);
      await page.locator('main h1').waitFor();
      await expect
        .poll(() => page.locator('.loading, [aria-busy=true]').count(), { timeout: 10_000 })
        .toBe(0);
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width, `${hash} scrolls sideways`).toBeLessThanOrEqual(1280);
      expect(await page.locator('.error').allTextContents(), `${hash} shows an error`).toEqual([]);
    }
    await page.screenshot(shot('console-lineage'));
    await page.goto(`${fixture.url}/#/`);
    await page.getByTestId('syncs').waitFor();
    await page.screenshot(shot('console-overview'));
  });

  it('never sends a secret of weft.yml to the browser', async () => {
    // The built files too, not only what the pages fetched.
    const assets = path.join(repoRoot, 'dist', 'console', 'assets');
    const files = existsSync(assets)
      ? readdirSync(assets).map((f) => readFileSync(path.join(assets, f), 'utf8'))
      : [];
    expect(received().length).toBeGreaterThan(10);
    const secrets = fixture.secrets.filter((s) => s.length >= 6);
    expect(secrets).toContain(fixture.keys.editor);
    for (const text of [...received(), ...files])
      for (const secret of secrets)
        expect(text.includes(secret), `a response holds a secret (${secret.slice(0, 3)}…)`).toBe(false);
  });
});
