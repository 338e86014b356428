/** `weft compile`: render every model's SQL into target/ with a manifest, without running it. */
import path from 'node:path';
import type { Command } from 'commander';
import { compileProject } from '../compiler/compile.js';
import { writeCompiled } from '../compiler/manifest.js';
import { getEngine } from '../warehouse/registry.js';
import { type GlobalOptions, withContext } from './context.js';

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('render models to target/compiled/*.sql and write target/manifest.json')
    .addHelpText(
      'after',
      `
Compiled SQL is what "weft build" would run on a first (full) build: {{ref}}, {{source}} and
{{var}} are resolved for the project's warehouse dialect. Incremental models are shown in
their full-refresh form. No warehouse connection is made.`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withContext(opts, async ({ out, project }) => {
        const dialect = getEngine(project.config.warehouse.type).dialect;
        const compiled = compileProject(project, dialect);
        const targetDir = path.join(project.dir, 'target');
        await writeCompiled(compiled, targetDir);
        out.info(
          `Compiled ${compiled.models.length} models for ${dialect.name} into ${path.relative(process.cwd(), targetDir) || '.'}/`,
        );
        for (const name of compiled.order) out.info(`  ${name}`);
        out.result({ models: compiled.models.length, target: targetDir, order: compiled.order });
      });
    });
}
