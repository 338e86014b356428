import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runWeft, tempDir } from './run-weft.js';

/** Writes files (relative path → content) into a new temp project. */
function project(files: Record<string, string>): string {
  const dir = tempDir('weft-validate-');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const goodModel = 'select 1 as id\n';

describe('weft validate', () => {
  it('reports a typo, a bad indent and a missing env var at once, each with file:line', async () => {
    const dir = project({
      'weft.yml': [
        'name: broken',
        'warehouse:',
        '  type: duckdb',
        '  path: "{{env \'WEFT_TEST_SURELY_MISSING_PATH\'}}"',
        'connections:',
        '  hub:',
        '    type: hubspot',
        '',
      ].join('\n'),
      'models/sources.yml': ['sources:', '  shop:', '    schema: raw', '    tabels: [customers]', ''].join(
        '\n',
      ),
      'syncs/bad.yml': ['name: bad', 'from: m', '  connection: hub', 'mode: upsert', ''].join('\n'),
      'models/m.sql': goodModel,
    });
    const res = await runWeft(['validate', '--project', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/weft\.yml:4:\d+.*WEFT_TEST_SURELY_MISSING_PATH/);
    expect(res.stderr).toMatch(/models\/sources\.yml:4:\d+.*tabels.*did you mean 'tables'/);
    // yaml reports the value that the mis-indented line turns into a nested mapping
    expect(res.stderr).toMatch(/syncs\/bad\.yml:[23]:\d+ {2}YAML syntax error/);
  });

  it('--json lists problems as one JSON object on stdout', async () => {
    const dir = project({
      'weft.yml': 'name: x\nwarehouse: { type: duckdb }\nschemaa: weft\n',
      'models/m.sql': goodModel,
    });
    const res = await runWeft(['validate', '--project', dir, '--json']);
    expect(res.code).toBe(2);
    const [out] = jsonLines(res.stdout) as Array<{
      valid: boolean;
      problems: Array<{ file: string; line: number }>;
    }>;
    expect(out?.valid).toBe(false);
    expect(out?.problems[0]).toMatchObject({ file: 'weft.yml', line: 3 });
  });

  it('reports an unknown ref naming the model file', async () => {
    const dir = project({
      'weft.yml': 'name: x\nwarehouse: { type: duckdb }\n',
      'models/a.sql': "select * from {{ref 'nope'}}\n",
    });
    const res = await runWeft(['validate', '--project', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('models/a.sql');
    expect(res.stderr).toContain('nope');
  });

  it('never prints a secret', async () => {
    const dir = project({
      'weft.yml':
        'name: x\nwarehouse: { type: duckdb }\nconnections:\n  h: { type: hubspot, token: "{{env \'WEFT_T_TOKEN\'}}" }\n',
      'models/a.sql': "select * from {{ref 'nope'}} -- WEFT_SECRET_VALUE_123\n",
    });
    const res = await runWeft(['validate', '--project', dir], {
      env: { WEFT_T_TOKEN: 'WEFT_SECRET_VALUE_123' },
    });
    expect(res.code).toBe(2);
    expect(res.stdout + res.stderr).not.toContain('WEFT_SECRET_VALUE_123');
  });
});
