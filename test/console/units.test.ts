/**
 * The console's server without a browser: sign-in roles, the YAML round trip and diff, static
 * files (no path escapes the build folder), editor-only endpoints, Save refusing a file that would
 * not validate, and `weft serve --console-only` as a process.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectOrThrow } from '../../src/config/project.js';
import { consoleKeys, consoleRole } from '../../src/serve/console/auth.js';
import { type RunningConsole, startConsole } from '../../src/serve/console/start.js';
import { audienceYaml, lineDiff } from '../../src/serve/console/yaml-edit.js';
import { copyDemoProject, repoRoot } from '../cli/run-weft.js';

const request = (authorization?: string) =>
  ({ headers: authorization ? { authorization } : {} }) as unknown as IncomingMessage;

describe('console sign-in', () => {
  const keys = consoleKeys({
    viewer_key: 'view-1234',
    editor_key: 'edit-5678',
    admin_key: 'admin-90ab',
  } as never);
  it('gives editor to the editor and admin keys, viewer to the viewer key, nothing to anything else', () => {
    expect(consoleRole(request('Bearer edit-5678'), keys)).toBe('editor');
    expect(consoleRole(request('Bearer admin-90ab'), keys)).toBe('editor');
    expect(consoleRole(request('bearer view-1234'), keys)).toBe('viewer');
    expect(consoleRole(request('Bearer view-12345'), keys)).toBeUndefined();
    expect(consoleRole(request('view-1234'), keys)).toBeUndefined();
    expect(consoleRole(request(), keys)).toBeUndefined();
    expect(consoleRole(request('Bearer x'), consoleKeys(undefined))).toBeUndefined();
  });
});

describe('audience YAML round trip', () => {
  const original = `# Who we email first.
name: vips   # keep short
where:
  all:
    - { trait: lifetime_value, op: gte, value: 500 }   # dollars
    - trait: plan
      op: in
      value: ['pro', "enterprise"]
columns: [email]
`;
  const value = {
    name: 'vips',
    where: {
      all: [
        { trait: 'lifetime_value', op: 'gte', value: 500 },
        { trait: 'plan', op: 'in', value: ['pro', 'enterprise'] },
      ],
    },
    columns: ['email'],
  };

  it('replaces only the changed values, in their quoting style, leaving every other byte', () => {
    const edited = structuredClone(value);
    edited.where.all[0]!.value = 750;
    (edited.where.all[1] as { value: string[] }).value = ['team', 'big co'];
    expect(audienceYaml(edited, original)).toBe(
      original.replace('value: 500 }', 'value: 750 }').replace(`['pro', "enterprise"]`, `['team', "big co"]`),
    );
    expect(audienceYaml(value, original)).toBe(original);
  });

  it('keeps comments and layout when a condition is added', () => {
    const grown = structuredClone(value) as { where: { all: unknown[] } };
    grown.where.all.push({ audience: 'unsubscribed' });
    const text = audienceYaml(grown as never, original);
    expect(text).toContain('# Who we email first.');
    expect(text).toContain('# dollars');
    expect(text).toContain('# keep short');
    expect(text).toContain('- audience: unsubscribed');
    const changed = lineDiff(original, text).filter((l) => l.op !== ' ');
    expect(changed).toEqual([{ op: '+', text: '    - audience: unsubscribed' }]);
  });

  it('diffs line by line', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'B' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'd' },
    ]);
  });
});

describe('the console server', () => {
  const viewer = `viewer-${randomBytes(8).toString('hex')}`;
  const editor = `editor-${randomBytes(8).toString('hex')}`;
  let dir: string;
  let root: string;
  let running: RunningConsole;
  const api = (p: string, key: string, body?: string) =>
    fetch(`${running.url}/console/api/${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });

  beforeAll(async () => {
    dir = copyDemoProject('weft-console-units-');
    const text = fs.readFileSync(path.join(dir, 'weft.yml'), 'utf8');
    fs.writeFileSync(
      path.join(dir, 'weft.yml'),
      text.replace(
        /^( {2}viewer_key: .*)$/m,
        `  viewer_key: "${viewer}"\n  editor_key: "{{env 'WEFT_TEST_EDITOR'}}"`,
      ),
    );
    process.env.WEFT_TEST_EDITOR = editor;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-console-root-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    running = await startConsole(await loadProjectOrThrow(dir), { port: 0, root });
  });
  afterAll(async () => {
    await running?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves the built files with a strict policy, and nothing outside them', async () => {
    const index = await fetch(`${running.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await index.text()).toContain('<title>console</title>');
    expect((await fetch(`${running.url}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    for (const outside of [
      '/assets/%2e%2e/%2e%2e/weft.yml',
      '/assets/..%2f..%2fweft.yml',
      '/assets/missing.js',
    ])
      expect((await fetch(`${running.url}${outside}`)).status).toBe(404);
    expect((await fetch(`${running.url}/v1/track`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('answers viewers, keeps editor endpoints for editors, and says why a body is bad', async () => {
    expect(await (await api('session', viewer)).json()).toEqual({ role: 'viewer', project: 'demo' });
    expect(await (await api('session', editor)).json()).toEqual({ role: 'editor', project: 'demo' });
    const draft = JSON.stringify({
      audience: { name: 'console_test', where: { trait: 'plan', op: 'eq', value: 'pro' } },
    });
    expect((await api('audiences/save', viewer, draft)).status).toBe(403);
    expect(fs.existsSync(path.join(dir, 'models/audiences/console_test.yml'))).toBe(false);
    const bad = await api('audiences/diff', viewer, '[1, 2');
    expect(bad.status).toBe(400);
    expect((await api('audiences/diff', viewer, JSON.stringify({ audience: { name: 'x' } }))).status).toBe(
      400,
    );
    const lineage = (await (await api('lineage', viewer)).json()) as { nodes: Array<{ id: string }> };
    expect(lineage.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining(['identity', 'profiles', 'audience:high_value_recent', 'sync:hubspot_contacts']),
    );
  });

  it('Save refuses a file `weft validate` would reject and leaves the folder as it was', async () => {
    const before = fs.readdirSync(path.join(dir, 'models/audiences')).sort();
    const unknownTrait = JSON.stringify({
      audience: { name: 'console_bad', where: { trait: 'no_such_trait', op: 'eq', value: 1 } },
    });
    const refused = await api('audiences/save', editor, unknownTrait);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/no_such_trait/);
    expect(fs.readdirSync(path.join(dir, 'models/audiences')).sort()).toEqual(before);
    const good = await api(
      'audiences/save',
      editor,
      JSON.stringify({
        audience: { name: 'console_good', where: { trait: 'plan', op: 'eq', value: 'pro' } },
      }),
    );
    expect(good.status, await good.clone().text()).toBe(200);
    expect(fs.readFileSync(path.join(dir, 'models/audiences/console_good.yml'), 'utf8')).toBe(
      'name: console_good\nwhere:\n  trait: plan\n  op: eq\n  value: pro\n',
    );
    // The saved audience is part of the project the console serves now.
    expect((await api('audiences/console_good', viewer)).status).toBe(200);
  });

  it('never answers a secret, even inside an error message', async () => {
    const response = await api(`syncs/${encodeURIComponent('x')}/runs`, viewer);
    expect(response.status).toBe(404);
    const all = await Promise.all(
      ['session', 'lineage', 'audiences/high_value_recent'].map(async (p) => (await api(p, viewer)).text()),
    );
    for (const text of all) {
      expect(text).not.toContain(editor);
      expect(text).not.toContain(viewer);
    }
  });
});

describe('weft serve --console-only', () => {
  it('serves the console alone on 127.0.0.1 and stops on SIGTERM', { timeout: 60_000 }, async () => {
    const dir = copyDemoProject('weft-console-only-');
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'dist/src/cli/main.js'),
        'serve',
        '--console-only',
        '--port',
        '0',
        '--json',
        '--project',
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WEFT_VIEWER_KEY: viewer0 } },
    );
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const line = stdout.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve((JSON.parse(line) as { url: string }).url);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const index = await fetch(`${url}/`);
      expect([200, 503]).toContain(index.status); // 503 only when dist/console was not built
      expect((await fetch(`${url}/health`)).status).toBe(404);
      expect((await fetch(`${url}/v1/batch`, { method: 'POST', body: '{}' })).status).toBe(404);
      const session = await fetch(`${url}/console/api/session`, {
        headers: { authorization: `Bearer ${viewer0}` },
      });
      expect(await session.json()).toEqual({ role: 'viewer', project: 'demo' });
    } finally {
      child.kill('SIGTERM');
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const viewer0 = `viewer-${randomBytes(8).toString('hex')}`;
