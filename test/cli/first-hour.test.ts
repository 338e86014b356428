/**
 * Small first-hour surprises, through the compiled CLI: `weft runs` of a sync that does not exist
 * says so (exit 2, with a suggestion) instead of "no runs yet", and `weft sandbox --help` shows
 * the `{{env}}` syntax weft.yml actually expands, and `--json` failures answer in JSON on stdout.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { copyDemoProject, runWeft, weftIn } from './run-weft.js';

const dir = copyDemoProject('weft-first-hour-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
});
