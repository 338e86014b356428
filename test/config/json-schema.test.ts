import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeJsonSchemas } from '../../src/config/index.js';

const outDir = mkdtempSync(join(tmpdir(), 'weft-schemas-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const committedDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');

const expectedProperties: Record<string, string[]> = {
  'weft.schema.json': [
    'name',
    'schema',
    'state_schema',
    'warehouse',
    'connections',
    'vars',
    'as_of',
    'alerts',
    'events',
    'serve',
    'dbt',
    'loads',
    'privacy',
  ],
  'sources.schema.json': ['sources'],
  'model-config.schema.json': ['config', 'description'],
  'identity.schema.json': ['identity'],
  'profiles.schema.json': ['profiles'],
  'audience.schema.json': ['name', 'description', 'where', 'sql', 'exclude', 'splits', 'columns'],
  'sync.schema.json': [
    'name',
    'description',
    'from',
    'connection',
    'object',
    'mode',
    'key',
    'match_on',
    'list',
    'where',
    'mappings',
    'schedule',
    'priority',
    'build',
    'consent',
    'guardrails',
  ],
  'trigger.schema.json': ['name', 'description', 'enabled', 'on', 'where', 'send', 'once_per', 'quiet_hours'],
};

describe('writeJsonSchemas', () => {
  it('writes one valid JSON Schema per file kind with the expected top-level properties', async () => {
    const written = await writeJsonSchemas(outDir);
    expect(written.map((p) => basename(p)).sort()).toEqual(Object.keys(expectedProperties).sort());
    for (const path of written) {
      const schema = JSON.parse(readFileSync(path, 'utf8'));
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      expect(Object.keys(schema.properties)).toEqual(expectedProperties[basename(path)]);
    }
  });

  it('describes nested shapes: warehouse engines, strict sources, the recursive condition', async () => {
    await writeJsonSchemas(outDir);
    const read = (name: string) => JSON.parse(readFileSync(join(outDir, name), 'utf8'));
    const weft = read('weft.schema.json');
    expect(weft.required).toEqual(['name']);
    const engines = weft.properties.warehouse.oneOf ?? weft.properties.warehouse.anyOf;
    expect(engines.map((e: { properties: { type: { const: string } } }) => e.properties.type.const)).toEqual([
      'duckdb',
      'postgres',
      'bigquery',
      'snowflake',
    ]);
    const source = read('sources.schema.json').properties.sources.additionalProperties;
    expect(source.additionalProperties).toBe(false);
    expect(source.required).toEqual(['schema', 'tables']);
    const audience = read('audience.schema.json');
    expect(audience.properties.where.$ref).toBe('#/$defs/condition');
    expect(JSON.stringify(audience.$defs.condition)).toContain('"#/$defs/condition"');
    expect(read('sync.schema.json').properties.mode.enum).toEqual([
      'upsert',
      'update',
      'insert',
      'mirror',
      'membership',
    ]);
  });

  it('matches the committed schemas/ (regenerate with writeJsonSchemas when schemas change)', async () => {
    for (const path of await writeJsonSchemas(outDir)) {
      expect(readFileSync(join(committedDir, basename(path)), 'utf8')).toBe(readFileSync(path, 'utf8'));
    }
  });
});
