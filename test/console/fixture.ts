/**
 * One built demo for the console's tests: a seeded copy of the demo project on a sandbox, with an
 * editor key added to its `serve:` block, every sync run once with the webhook emulator rejecting
 * some CRM contacts (so crm_contacts_webhook has a partial run), and the console served on a free
 * port. The keys are fresh random values, so a test can look for them anywhere.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildProject } from '../../src/build/index.js';
import { loadProjectOrThrow } from '../../src/config/project.js';
import type { Project } from '../../src/config/types.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { startSandbox } from '../../src/sandbox/start.js';
import { seedDemoData } from '../../src/seed/index.js';
import { type RunningConsole, startConsole } from '../../src/serve/console/start.js';
import { runSync } from '../../src/sync/run-sync.js';
import { openWarehouse } from '../../src/warehouse/registry.js';
import type { Row } from '../../src/warehouse/types.js';
import { copyDemoProject } from '../cli/run-weft.js';
import { sandboxEnv } from '../privacy/fixture.js';

/**
 * The partial sync and the rules its destination rejects rows by: two rules quote different
 * values in one message shape (so they group as one masked reason), one gives a plain reason.
 */
export const PARTIAL_SYNC = 'crm_contacts_webhook';
export const REJECT_RULES = [
  { field: 'email', matches: '\\.(org|net)$', reason: 'domain is blocked by policy' },
  { field: 'email', matches: '^[a-c]', reason: 'Email "a-c@mailbox" bounced: mailbox does not exist' },
  { field: 'email', matches: '^[d-f]', reason: 'Email "d-f@mailbox" bounced: mailbox does not exist' },
];

/** A built demo with the console running. */
export interface ConsoleFixture {
  dir: string;
  url: string;
  keys: { viewer: string; editor: string };
  /** Every secret value weft.yml renders (connections' tokens, the serve keys). */
  secrets: string[];
  project(): Promise<Project>;
  /** Runs `sql` on the fixture's warehouse (opened for the query and closed after it). */
  query(sql: string): Promise<Row[]>;
  dispose(): Promise<void>;
}

/** Seeds `people`, builds, syncs and starts the console. */
export async function consoleFixture(people = 120): Promise<ConsoleFixture> {
  const sandbox: Sandbox = await startSandbox();
  const keys = {
    viewer: `viewer-${randomBytes(12).toString('hex')}`,
    editor: `editor-${randomBytes(12).toString('hex')}`,
  };
  Object.assign(process.env, sandboxEnv(sandbox), {
    WEFT_VIEWER_KEY: keys.viewer,
    WEFT_CONSOLE_EDITOR_KEY: keys.editor,
  });
  const dir = copyDemoProject('weft-console-');
  const weftYml = path.join(dir, 'weft.yml');
  const text = fs.readFileSync(weftYml, 'utf8');
  fs.writeFileSync(
    weftYml,
    text.replace(/^( {2}viewer_key: .*)$/m, `$1\n  editor_key: "{{env 'WEFT_CONSOLE_EDITOR_KEY'}}"`),
  );
  const project = await loadProjectOrThrow(dir);
  const warehouse = await openWarehouse(project.config.warehouse, { projectDir: dir });
  try {
    await seedDemoData(warehouse, { people, seed: 11 });
    const built = await buildProject(project, warehouse, {});
    const failed = built.models.filter((m) => m.status !== 'success');
    if (failed.length > 0)
      throw new Error(`build failed: ${failed.map((m) => `${m.name}: ${m.error}`).join('; ')}`);
    sandbox.emulators.webhook?.injectFaults({ reject: REJECT_RULES });
    for (const { value: config } of project.syncs) await runSync(project, warehouse, config);
    // A second run of the partial sync retries its rejected rows: a history of two runs.
    const partial = project.syncs.find((s) => s.value.name === PARTIAL_SYNC);
    if (partial) await runSync(project, warehouse, partial.value);
  } finally {
    await warehouse.close();
  }
  const running: RunningConsole = await startConsole(project, { port: 0 });
  return {
    dir,
    url: running.url,
    keys,
    secrets: [...project.secrets, keys.viewer, keys.editor],
    project: () => loadProjectOrThrow(dir),
    async query(sql) {
      const current = await loadProjectOrThrow(dir);
      const opened = await openWarehouse(current.config.warehouse, { projectDir: dir });
      try {
        return await opened.query(sql);
      } finally {
        await opened.close();
      }
    },
    async dispose() {
      await running.close();
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
