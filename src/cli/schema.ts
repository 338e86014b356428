/** `weft schema`: write JSON Schemas of every YAML file kind, for editor autocompletion. */
import path from 'node:path';
import type { Command } from 'commander';
import { writeJsonSchemas } from '../config/project.js';
import type { GlobalOptions } from './context.js';
import { createOutput } from './output.js';

export function registerSchema(program: Command): void {
  program
    .command('schema [dir]')
    .description('write JSON Schemas for weft.yml, sources, models, identity, profiles, audiences, syncs')
    .addHelpText(
      'after',
      `
Point your editor at them, e.g. with the YAML language server:
  # yaml-language-server: $schema=./schemas/sync.schema.json`,
    )
    .action(async (dir: string | undefined, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const out = createOutput({ json: Boolean(opts.json) });
      const files = await writeJsonSchemas(path.resolve(dir ?? 'schemas'));
      for (const f of files) out.info(`wrote ${path.relative(process.cwd(), f)}`);
      out.result({ files });
    });
}
