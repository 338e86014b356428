/** `weft init [dir]`: scaffold a small complete project (bundled CSVs to a sandbox sync) that builds and syncs. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { scaffoldFiles } from '../scaffold/templates.js';
import type { GlobalOptions } from './context.js';
import { ReportedFailure } from './errors.js';
import { createOutput } from './output.js';

export function registerInit(program: Command): void {
  program
    .command('init [dir]')
    .description(
      'scaffold a small complete project in dir (default: the current directory): bundled CSV data, identity, profiles, an audience and a sync to `weft sandbox`',
    )
    .action(async (dir: string | undefined, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const out = createOutput({ json: Boolean(opts.json) });
      const target = path.resolve(dir ?? opts.project ?? '.');
      const existing = await fs.stat(path.join(target, 'weft.yml')).catch(() => undefined);
      if (existing) {
        out.error(`${path.join(target, 'weft.yml')} already exists: weft init never overwrites a project.`);
        throw new ReportedFailure(1);
      }
      const name = path.basename(target).replace(/[^A-Za-z0-9_]+/g, '_') || 'weft_project';
      const written: string[] = [];
      for (const [rel, content] of Object.entries(scaffoldFiles)) {
        const file = path.join(target, rel);
        if (await fs.stat(file).catch(() => undefined)) continue; // keep the user's files
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, content.replaceAll('{{name}}', name));
        written.push(rel);
      }
      out.info(`Created project '${name}' in ${target}:`);
      for (const rel of written) out.info(`  ${rel}`);
      out.info(`\nNext: cd ${path.relative(process.cwd(), target) || '.'} && weft validate && weft build`);
      out.info(
        'Then `weft sandbox` in another terminal, and `weft plan` / `weft sync --all` to send the audience.',
      );
      out.result({ project: name, dir: target, files: written });
    });
}
