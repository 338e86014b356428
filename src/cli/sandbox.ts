/** `weft sandbox`: serve every destination emulator on local ports until Ctrl-C. */
import type { Command } from 'commander';
import { emulators } from '../../destinations/emulators.js';
import { DEFAULT_PORT_BASE, emulatorNames, startSandbox } from '../sandbox/index.js';
import type { GlobalOptions } from './context.js';
import { UsageError } from './errors.js';
import { formatTable } from './format.js';
import { createOutput } from './output.js';
import { parsePositiveInt } from './parse.js';

interface SandboxCliOptions extends GlobalOptions {
  portBase: number;
  only?: string;
}

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('serve local emulators of the destination APIs (for tests, CI and trying syncs safely)')
    .option(
      '--port-base <n>',
      'first port; emulators take consecutive ports (0: any free port)',
      parsePositiveInt('--port-base', 0),
      DEFAULT_PORT_BASE,
    )
    .option(
      '--only <names>',
      `comma-separated emulators to start (default: all of ${emulatorNames().join(', ')})`,
    )
    .addHelpText(
      'after',
      `
Each emulator keeps what it received (GET <url>/__sandbox/state), forgets it on
POST <url>/__sandbox/reset and takes injected faults on POST <url>/__sandbox/faults.
Point a connection at it, e.g. in weft.yml:
  connections:
    hooks: { type: webhook, url: "{{env 'WEFT_SANDBOX_WEBHOOK_URL'}}/hooks/weft", secret: weft-sandbox-secret }
(weft.yml reads the environment with {{env 'NAME'}}; shell-style \${NAME} is not expanded.)`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<SandboxCliOptions>();
      const out = createOutput({ json: Boolean(opts.json) });
      const only = opts.only
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const unknown = (only ?? []).filter((name) => !emulatorNames().includes(name));
      if (unknown.length > 0) {
        throw new UsageError(
          `no emulator named ${unknown.join(', ')} (available: ${emulatorNames().join(', ')})`,
        );
      }
      const sandbox = await startSandbox({ destinations: only, portBase: opts.portBase });
      const rows: string[][] = [];
      for (const [name, emulator] of Object.entries(sandbox.emulators)) {
        const envVar = emulators.find((e) => e.name === name)?.envVar ?? '';
        rows.push([name, emulator.url, envVar]);
        out.result({ sandbox: name, url: emulator.url, env: envVar, settings: emulator.settings });
      }
      out.info(formatTable(['emulator', 'url', 'env var'], rows));
      for (const [name, emulator] of Object.entries(sandbox.emulators)) {
        out.info(`${name} connection: ${JSON.stringify(emulator.settings)}`);
      }
      out.info('Sandbox running; Ctrl-C to stop.');
      await untilStopped();
      await sandbox.close();
      out.info('Sandbox stopped.');
    });
}
