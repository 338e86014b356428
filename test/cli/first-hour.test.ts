/**
 * Small first-hour surprises, through the compiled CLI: validate refuses cron schedules that
 * cannot run, `weft runs` of a sync that does not exist
 * says so (exit 2, with a suggestion) instead of "no runs yet", and `weft sandbox --help` shows
 * the `{{env}}` syntax weft.yml actually expands, and `--json` failures answer in JSON on stdout
 * while stderr, when it is not a terminal, says nothing (as the README promises).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyDemoProject, jsonLines, runWeft, tempDir, weftIn } from './run-weft.js';

const dir = copyDemoProject('weft-first-hour-');
/** A folder without weft.yml. */
const empty = tempDir('weft-first-hour-empty-');
/** A project with nothing scheduled. */
const bare = tempDir('weft-first-hour-bare-');
writeFileSync(path.join(bare, 'weft.yml'), 'name: bare\nwarehouse: { type: duckdb }\n');
afterAll(() => {
  for (const d of [dir, empty, bare]) rmSync(d, { recursive: true, force: true });
});

describe('the first hour', () => {
  it('weft runs NAME refuses a sync that does not exist, suggesting the close one', async () => {
    const typo = await weftIn(dir, ['runs', 'hubspot_vip_lists']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("no sync named 'hubspot_vip_lists' (did you mean 'hubspot_vip_list'?)");
    const known = await weftIn(dir, ['runs', 'hubspot_vip_list']);
    expect(known.code).toBe(0);
    expect(known.stderr + known.stdout).toContain('No runs of hubspot_vip_list yet.');
  });

  it("weft sandbox --help shows weft.yml's {{env}} syntax, not shell-style dollar-braces", async () => {
    const help = await runWeft(['sandbox', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('url: "{{env \'WEFT_SANDBOX_WEBHOOK_URL\'}}/hooks/weft"');
    expect(help.stdout).not.toContain('url: "${');
  });

  it('--json answers a failure with one JSON error object on stdout', async () => {
    const unknown = await weftIn(dir, ['audience', 'preview', 'nope', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({
      error: { message: expect.stringContaining("unknown audience 'nope'"), exit: 2 },
    });
    const missing = await weftIn(dir, ['profile', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { message: "missing required argument 'identifier'", exit: 2 },
    });
  });

  it('--json with stderr not a terminal: failures are one JSON object on stdout, stderr says nothing', async () => {
    // The test's stderr is a pipe, as in CI or `weft … --json 2>log | jq`.
    const failures: Array<[string[], number, RegExp]> = [
      [['audience', 'preview', 'nope', '--json'], 2, /unknown audience 'nope'/], // a command's problem
      [['sync', '--json'], 2, /name the syncs to run, or pass --all/], // usage
      [['sync', 'x', '--bogus', '--json'], 2, /unknown option '--bogus'/], // the argument parser's own
      [['build', '--json', '--project', empty], 2, /the project has problems: weft\.yml/], // no weft.yml
    ];
    for (const [args, exit, message] of failures) {
      const run = await weftIn(dir, args);
      expect(run.code, args.join(' ')).toBe(exit);
      expect(run.stderr, args.join(' ')).toBe('');
      const lines = run.stdout.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      const { error } = JSON.parse(lines[0]!);
      expect(error.exit).toBe(exit);
      expect(`${error.message}\n${JSON.stringify(error.problems ?? [])}`).toMatch(message);
    }
    // A project that does not load: each problem as `weft validate --json` gives it.
    const bad = tempDir('weft-first-hour-bad-');
    try {
      writeFileSync(path.join(bad, 'weft.yml'), 'name: x\nwarehouse:\n  type: nope\n');
      const run = await weftIn(bad, ['build', '--json']);
      expect(run.code).toBe(2);
      const { error } = JSON.parse(run.stdout);
      expect(error.message).toMatch(
        /^the project has problems: weft\.yml:3:9 +warehouse\.type: expected one of/,
      );
      expect(error.problems).toEqual([
        expect.objectContaining({ file: 'weft.yml', line: 3, column: 9, path: 'warehouse.type' }),
      ]);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
    // Help and version with --json are one JSON object too.
    const help = await weftIn(dir, ['build', '--help', '--json']);
    expect(help.code).toBe(0);
    expect(JSON.parse(help.stdout).help).toMatch(/^Usage: weft build/);
    const version = await weftIn(dir, ['--version', '--json']);
    expect(JSON.parse(version.stdout)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    // Without --json the same failure is told on stderr.
    const human = await weftIn(dir, ['audience', 'preview', 'nope']);
    expect(human.stderr).toContain("unknown audience 'nope'");
  });

  it('validate refuses the cron schedules the scheduler would refuse or never fire, at their lines', async () => {
    const project = tempDir('weft-first-hour-cron-');
    try {
      writeFileSync(
        path.join(project, 'weft.yml'),
        'name: cron\nwarehouse: { type: duckdb }\nconnections:\n  hook: { type: webhook, url: "https://h.example/in", secret: "a-webhook-secret" }\n',
      );
      mkdirSync(path.join(project, 'models'));
      writeFileSync(path.join(project, 'models/m.sql'), 'select 1 as email');
      mkdirSync(path.join(project, 'syncs'));
      const schedules = ['"0 25 * * *"', '"99 * * * *"', '"@fortnightly"', '"0 9 31 2 *"', '"0 9 * * 1"'];
      for (const [i, schedule] of schedules.entries())
        writeFileSync(
          path.join(project, 'syncs', `s${i}.yml`),
          `name: s${i}\nfrom: m\nconnection: hook\nmode: upsert\nkey: email\nschedule: ${schedule}\n`,
        );
      const run = await weftIn(project, ['validate']);
      expect(run.code).toBe(2);
      const problems = run.stderr.split('\n').filter((l) => /^ {2}syncs\//.test(l));
      expect(problems).toEqual([
        expect.stringMatching(
          /^ {2}syncs\/s0\.yml:6:\d+ {2}schedule: '0 25 \* \* \*' is not a valid cron expression: .*hour: 25/,
        ),
        expect.stringMatching(
          /^ {2}syncs\/s1\.yml:6:\d+ {2}schedule: '99 \* \* \* \*' is not a valid cron expression: .*minute: 99/,
        ),
        expect.stringMatching(
          /^ {2}syncs\/s2\.yml:6:\d+ {2}schedule: '@fortnightly' is not a valid cron expression/,
        ),
        expect.stringMatching(
          /^ {2}syncs\/s3\.yml:6:\d+ {2}schedule: '0 9 31 2 \*' never fires: no date matches it/,
        ),
      ]); // s4, every Monday at 09:00, is fine
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('--json: Node\'s own warnings are {"warning"} lines too, not stderr text', async () => {
    // A preload that makes Node emit a deprecation warning as the command ends.
    const preload = path.join(empty, 'warn.cjs');
    writeFileSync(
      preload,
      "process.once('beforeExit', () => process.emitWarning('a test warning', 'DeprecationWarning'));\n",
    );
    const env = { NODE_OPTIONS: `--require ${preload}` };
    const run = await runWeft(['runs', '--json', '--project', bare], { env });
    expect(run.stderr).toBe('');
    expect(jsonLines(run.stdout)).toContainEqual({ warning: 'DeprecationWarning: a test warning' });
    const human = await runWeft(['runs', '--project', bare], { env });
    expect(human.stderr).toContain('DeprecationWarning: a test warning');
  });

  it('--json: a warning of a command that succeeds is a {"warning"} line on stdout, not stderr', async () => {
    const run = await weftIn(bare, ['schedule', '--once', '--json']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stderr).toBe('');
    expect(jsonLines(run.stdout)).toEqual([
      { warning: 'No scheduled syncs: add `schedule: "0 * * * *"` to a file in syncs/.' },
    ]);
  });
});
