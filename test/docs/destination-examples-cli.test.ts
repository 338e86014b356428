/**
 * The weft.yml connections and sync files shown in docs/destinations/*.md, checked by the real
 * `weft validate`: every example is added (renamed `doc_…`) to a copy of the demo project, whose
 * profiles and audiences the sync examples read, with the environment variables they name set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { copyDemoProject, repoRoot, weftIn } from '../cli/run-weft.js';

const pagesDir = path.join(repoRoot, 'docs', 'destinations');
const pages = fs.readdirSync(pagesDir).filter((f) => f.endsWith('.md') && f !== 'README.md');
const dir = copyDemoProject('weft-doc-examples-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Doc = Record<string, unknown> & { connections?: Record<string, unknown>; connection?: string };

describe('the examples of docs/destinations/*.md', () => {
  it('pass weft validate in the demo project', async () => {
    const connections: Record<string, unknown> = {};
    const env: Record<string, string> = {};
    const syncs: Doc[] = [];
    for (const page of pages) {
      const text = fs.readFileSync(path.join(pagesDir, page), 'utf8');
      const renamed = new Map<string, string>();
      const docs = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1]!) as Doc);
      for (const doc of docs)
        for (const [name, connection] of Object.entries(doc.connections ?? {})) {
          const as = `doc_${page.replace(/\.md$/, '')}_${name}`;
          renamed.set(name, as);
          connections[as] = connection;
        }
      for (const doc of docs)
        if (typeof doc.name === 'string' && typeof doc.connection === 'string')
          syncs.push({
            ...doc,
            name: `doc_${doc.name}`,
            connection: renamed.get(doc.connection) ?? doc.connection,
          });
      for (const m of text.matchAll(/\{\{env '([^']+)'\}\}/g))
        env[m[1]!] = m[1]!.endsWith('_URL')
          ? 'https://example.com/hook'
          : m[1]!.startsWith('MAILCHIMP')
            ? '0123456789abcdef0123456789abcdef-us6'
            : 'example-token-value';
    }
    expect(Object.keys(connections).length).toBeGreaterThanOrEqual(pages.length);
    expect(syncs.length).toBeGreaterThan(0);

    const weftYml = path.join(dir, 'weft.yml');
    const project = parseYaml(fs.readFileSync(weftYml, 'utf8')) as { connections: Record<string, unknown> };
    project.connections = { ...project.connections, ...connections };
    fs.writeFileSync(weftYml, stringify(project));
    for (const sync of syncs) fs.writeFileSync(path.join(dir, 'syncs', `${sync.name}.yml`), stringify(sync));

    const validate = await weftIn(dir, ['validate'], env);
    expect(validate.code, `${validate.stdout}${validate.stderr}`).toBe(0);
  });
});
