/**
 * `weft validate` catches what plan and sync would reject (issue 19, item 1), through the compiled
 * CLI: connection settings against their connector's schema (HubSpot's `token` accepted as an
 * alias), column names against what the project knows (profiles, audiences' columns) and against
 * the warehouse when it is built (syncs' where: too), and one YAML syntax error reported as one problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncProject, spawnWeft, writePeople } from '../sync/cli-project.js';

const weft = (args: string[], dir: string) => spawnWeft(args, dir).done;
const problems = (stderr: string) => stderr.split('\n').filter((l) => /^ {2}\S+\.yml:\d+/.test(l));

describe('weft validate, deeper', () => {
  let dir: string;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  beforeAll(async () => {
    dir = createSyncProject({ url: 'http://127.0.0.1:9/hook', secret: 'webhook-test-secret' });
    await writePeople(dir, [['a@x', 'Ann', 1]]); // builds app.people and the view weft.people
    fs.appendFileSync(
      path.join(dir, 'weft.yml'),
      [
        '  crm:',
        '    type: hubspot',
        "    token: \"{{env 'WEFT_TEST_HS' 't0ken-value'}}\"",
        '    tier: bogus',
        '    base_url: not a url',
        '  crm2:',
        '    type: hubspot',
        '    acess_token: x',
        '',
      ].join('\n'),
    );
    write(
      'models/identity.yml',
      'identity:\n  id_types:\n    email: { normalize: email }\n  sources:\n    - from: people\n      ids: { email: emial }\n      timestamp: updated\n',
    );
    write(
      'models/profiles.yml',
      'profiles:\n  traits:\n    name: { from: people, column: nmae }\n    score: { from: people, expr: "max(score)" }\n',
    );
    write(
      'models/audiences/fans.yml',
      'name: fans\nwhere: { trait: score, op: gte, value: 1 }\ncolumns: [name]\n',
    );
    write(
      'syncs/fans_out.yml',
      'name: fans_out\nfrom: audience.fans\nconnection: hook\nmode: upsert\nkey: profile_id\nmappings:\n  who: name\n  points: "{{round score 1}}"\n',
    );
    write(
      'syncs/filtered.yml',
      'name: filtered\nfrom: people\nconnection: hook\nmode: upsert\nkey: email\nwhere: emial IS NOT NULL\nmappings:\n  email: email\n',
    );
    write(
      'syncs/typo.yml',
      'name: typo\nfrom: people\nconnection: hook\nmode: upsert\nkey: emai\nmappings:\n  email: email\n  nom: nmae\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports settings, columns and mappings each at its file:line with did-you-mean (exit 2)', async () => {
    const run = await weft(['validate'], dir);
    expect(run.code).toBe(2);
    const lines = problems(run.stderr);
    const expected = [
      /^ {2}weft\.yml:\d+:\d+ {2}connections\.crm\.tier: must be one of free, starter, professional, enterprise, capacity_pack$/,
      /^ {2}weft\.yml:\d+:\d+ {2}connections\.crm\.base_url: must be a URL/,
      /^ {2}weft\.yml:\d+:\d+ {2}connections\.crm2\.acess_token: unknown hubspot setting 'acess_token' \(did you mean 'access_token'\?\)$/,
      /^ {2}weft\.yml:\d+:\d+ {2}connections\.crm2: missing required hubspot setting 'access_token'$/,
      /^ {2}models\/identity\.yml:6:\d+ {2}identity\.sources\[0\]\.ids\.email: 'emial' is not a column of people \(did you mean 'email'\?\)/,
      /^ {2}models\/identity\.yml:7:\d+ {2}identity\.sources\[0\]\.timestamp: 'updated' is not a column of people/,
      /^ {2}models\/profiles\.yml:3:\d+ {2}profiles\.traits\.name\.column: 'nmae' is not a column of people \(did you mean 'name'\?\)/,
      // audience columns are known without the warehouse: profile_id and `columns:`
      /^ {2}syncs\/fans_out\.yml:8:\d+ {2}mappings\.points: .*score/,
      /^ {2}syncs\/filtered\.yml:6:\d+ {2}where: "emial IS NOT NULL" does not run over people \(columns: email, name, score\)/,
      /^ {2}syncs\/typo\.yml:5:\d+ {2}key: 'emai' is not a column of people \(did you mean 'email'\?\)/,
      /^ {2}syncs\/typo\.yml:8:\d+ {2}mappings\.nom: unknown column 'nmae' \(did you mean 'name'\?\)/,
    ];
    for (const pattern of expected)
      expect(
        lines.some((l) => pattern.test(l)),
        `${pattern}\n${run.stderr}`,
      ).toBe(true);
    expect(lines, run.stderr).toHaveLength(expected.length);
    // `token:` is HubSpot's alias of access_token: not a problem, and its value never printed
    expect(run.stderr).not.toMatch(/connections\.crm\.token/);
    expect(run.stderr).not.toContain('t0ken-value');
  });

  it('one YAML syntax error in weft.yml is one problem in plain words, not a cascade', async () => {
    const file = path.join(dir, 'weft.yml');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.replace('name: synctest\n', 'name: synctest\nname: again\n'));
    try {
      const run = await weft(['validate', '--json'], dir);
      expect(run.code).toBe(2);
      const out = JSON.parse(run.stdout) as {
        problems: Array<{ file: string; line: number; message: string }>;
      };
      expect(out.problems).toEqual([
        {
          file: 'weft.yml',
          line: 2,
          column: 1,
          message: "YAML syntax error: 'name' is set twice in the same mapping: keep one of them",
        },
      ]);
    } finally {
      fs.writeFileSync(file, good);
    }
  });
});
