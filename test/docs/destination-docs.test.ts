/**
 * docs/destinations/<type>.md against the code: every registered connector has a page; its
 * settings table has one row per settings key of the connector's schema, stating the default the
 * schema has (or `required` / `optional`) and every value an enum setting accepts; the page names
 * every mode the connector declares, its erasure action (or says erasure is unsupported) and its
 * sandbox emulator's environment variable. The README links every page, and no doc points at
 * the steering folder outside the repo.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { emulators } from '../../destinations/emulators.js';
import { registeredDestinations } from '../../destinations/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');

/** The schema under optional/default wrappers. */
function inner(field: z.ZodType): z.ZodType {
  let current = field;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault)
    current = current.unwrap() as z.ZodType;
  return current;
}

/** What the default column must start with for a settings field. */
function expectedDefault(field: z.ZodType): string {
  if (field instanceof z.ZodDefault) {
    const value = field.def.defaultValue;
    return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
  }
  return field.safeParse(undefined).success ? 'optional' : 'required';
}

/** The lines of the page's `## Settings` section. */
function settingsSection(page: string): string[] {
  const lines = page.split('\n');
  const start = lines.indexOf('## Settings');
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The cells of the settings table row for `key`, or undefined when the page has none. */
function row(page: string, key: string): string[] | undefined {
  const line = settingsSection(page).find((l) => l.startsWith(`| \`${key}\` |`));
  return line
    ?.split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

/**
 * A stand-in for `{{env 'NAME'}}` in a page's example (`{{env 'NAME' 'default'}}` takes the
 * default): a URL for *_URL variables, a key with a data-centre suffix for Mailchimp, else a token.
 */
function exampleEnv(name: string): string {
  if (name.endsWith('_URL')) return 'https://example.com/hook';
  if (name.startsWith('MAILCHIMP')) return '0123456789abcdef0123456789abcdef-us6';
  return 'example-token-value';
}

/** The settings of every `connections:` entry of `type` in the page's YAML examples, env rendered. */
function exampleConnections(page: string, type: string): [string, Record<string, unknown>][] {
  const found: [string, Record<string, unknown>][] = [];
  for (const block of page.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const text = block[1]!.replace(
      /\{\{env '([^']+)'(?: '([^']*)')?\}\}/g,
      (_, name: string, fallback?: string) => fallback ?? exampleEnv(name),
    );
    const doc = parseYaml(text) as { connections?: Record<string, Record<string, unknown>> } | null;
    for (const [name, connection] of Object.entries(doc?.connections ?? {}))
      if (connection.type === type) found.push([name, connection]);
  }
  return found;
}

describe.each(registeredDestinations().map((d) => [d.type, d] as const))(
  'docs/destinations/%s.md',
  (type, d) => {
    const file = `docs/destinations/${type}.md`;

    it('exists', () => {
      expect(fs.existsSync(path.join(root, file)), `${file} is missing`).toBe(true);
    });

    const page = fs.existsSync(path.join(root, file)) ? read(file) : '';

    it('has a settings row for every key of the settings schema, with its default and enum values', () => {
      expect(d.settings).toBeInstanceOf(z.ZodObject);
      const shape = (d.settings as z.ZodObject).shape as Record<string, z.ZodType>;
      for (const [key, field] of Object.entries(shape)) {
        const cells = row(page, key);
        expect(cells, `${file}: no settings row "| \`${key}\` | …"`).toBeDefined();
        expect(cells![1], `${file}: default of ${key}`).toMatch(
          new RegExp(`^${expectedDefault(field).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
        );
        const base = inner(field);
        if (base instanceof z.ZodEnum)
          for (const option of base.options)
            expect(cells!.join(' '), `${file}: ${key}`).toContain(`\`${option}\``);
      }
      // No row for a setting the schema does not have.
      const documented = settingsSection(page)
        .map((l) => /^\| `([a-z_]+)` \|/.exec(l)?.[1])
        .filter((k): k is string => k !== undefined);
      expect(documented.filter((k) => !(k in shape))).toEqual([]);
    });

    it("has example connections that the connector's settings schema accepts", () => {
      const examples = exampleConnections(page, type);
      expect(examples.length, `${file}: no weft.yml example with type: ${type}`).toBeGreaterThan(0);
      for (const [name, { type: _type, ...settings }] of examples) {
        const parsed = d.settings.safeParse(settings);
        expect(parsed.success, `${file}: connection ${name}: ${parsed.error?.message}`).toBe(true);
      }
    });

    it('names every mode, the erasure behaviour and the sandbox', () => {
      for (const mode of d.capabilities.modes) expect(page, `${file}: mode ${mode}`).toContain(`\`${mode}\``);
      if (d.erasure) expect(page).toContain(`\`${d.erasure.action}\``);
      else expect(page).toMatch(/unsupported/);
      const emulator = emulators.find((e) => e.name === type);
      if (emulator) expect(page).toContain(emulator.envVar);
      expect(page).toContain('weft sandbox');
    });

    it('is linked from the README and the destinations index', () => {
      expect(read('README.md')).toContain(`(docs/destinations/${type}.md)`);
      expect(read('docs/destinations/README.md')).toContain(`(${type}.md)`);
    });
  },
);

describe('repo docs', () => {
  it('docs/production.md is linked from the README and covers running weft for real', () => {
    expect(read('README.md')).toContain('(docs/production.md)');
    const page = read('docs/production.md');
    for (const topic of [
      '## Install weft in a project',
      '### cron',
      '### systemd',
      '### Kubernetes',
      '### GitHub Actions',
      '## Secrets',
      '## DuckDB: one writer at a time',
      '## Back up state',
      '## Containers',
      'weft schedule --once',
      'npm pack',
    ])
      expect(page).toContain(topic);
  });

  it('never point at the shared steering folder outside the repo', () => {
    const docs = ['README.md', 'destinations/README.md'];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(rel);
        else if (entry.name.endsWith('.md')) docs.push(rel);
      }
    };
    walk('docs');
    const offenders = docs.filter((rel) =>
      /\.\.\/shared\/|\bshared\/(destinations|design)\.md/.test(read(rel)),
    );
    expect(offenders).toEqual([]);
  });
});
