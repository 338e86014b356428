/**
 * `weft validate` checks a sync's key and mappings against a model's explicit SELECT list, with
 * no warehouse built (issue 19, item 1): file:line, did-you-mean, exit 2; a model selecting `*`
 * is not guessed at. Through the compiled CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, weftIn } from './run-weft.js';

describe('weft validate against a model SELECT list, warehouse not built', () => {
  let dir: string;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const sync = (name: string, from: string, key: string, mappings: Record<string, string>) =>
    write(
      `syncs/${name}.yml`,
      `name: ${name}\nfrom: ${from}\nconnection: hook\nmode: upsert\nkey: ${key}\nmappings:\n${Object.entries(
        mappings,
      )
        .map(([field, source]) => `  ${field}: ${JSON.stringify(source)}`)
        .join('\n')}\n`,
    );
  beforeAll(() => {
    dir = tempDir('weft-validate-select-');
    write(
      'weft.yml',
      'name: selecttest\nwarehouse:\n  type: duckdb\n  path: .weft/warehouse.duckdb\nconnections:\n  hook:\n    type: webhook\n    url: http://127.0.0.1:9/hook\n    secret: webhook-test-secret\n',
    );
    write('models/sources.yml', 'sources:\n  app:\n    schema: app\n    tables: [people]\n');
    write(
      'models/people.sql',
      "-- the people we may contact\nselect email, lower(name) as full_name, score\nfrom {{source 'app' 'people'}}\nwhere email is not null\n",
    );
    write('models/everyone.sql', "select * from {{source 'app' 'people'}}\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names a bad key and bad mappings at their lines, with did-you-mean (exit 2)', async () => {
    sync('typo', 'people', 'emial', { email: 'email', who: 'fullname', points: '{{round scor 1}}' });
    try {
      const run = await weftIn(dir, ['validate']);
      expect(run.code, run.stdout).toBe(2);
      const lines = run.stderr.split('\n').filter((l) => /^ {2}syncs\//.test(l));
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(
        /^ {2}syncs\/typo\.yml:5:\d+ {2}key: 'emial' is not a column of people \(did you mean 'email'\?\) \(columns: email, full_name, score\)$/,
      );
      expect(lines[1]).toMatch(
        /^ {2}syncs\/typo\.yml:8:\d+ {2}mappings\.who: unknown column 'fullname' \(did you mean 'full_name'\?\)/,
      );
      expect(lines[2]).toMatch(/^ {2}syncs\/typo\.yml:9:\d+ {2}mappings\.points: .*scor/);
      // The same problems, as JSON.
      const json = await weftIn(dir, ['validate', '--json']);
      expect(json.code).toBe(2);
      const { problems } = JSON.parse(json.stdout);
      expect(problems.map((p: { file: string; line: number }) => [p.file, p.line])).toEqual([
        ['syncs/typo.yml', 5],
        ['syncs/typo.yml', 8],
        ['syncs/typo.yml', 9],
      ]);
    } finally {
      fs.rmSync(path.join(dir, 'syncs/typo.yml'));
    }
  });

  it('says nothing about a model selecting *, nor about a name that differs only by case', async () => {
    sync('star', 'everyone', 'emial', { email: 'emial' });
    sync('cased', 'people', 'EMAIL', { mail: 'Email', name: 'full_name' });
    try {
      const run = await weftIn(dir, ['validate']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('all valid');
      expect(run.stdout).toContain('models whose SELECT is not an explicit list, not checked');
    } finally {
      fs.rmSync(path.join(dir, 'syncs/star.yml'));
      fs.rmSync(path.join(dir, 'syncs/cased.yml'));
    }
  });
});
