/** `weft validate`: check every project file and model reference, listing all problems at once. */
import type { Command } from 'commander';
import { compileProject } from '../compiler/compile.js';
import { CompileError } from '../compiler/errors.js';
import { formatIssue, loadProject } from '../config/project.js';
import { getEngine } from '../warehouse/registry.js';
import { type GlobalOptions, projectDir } from './context.js';
import { ReportedFailure } from './errors.js';
import { createOutput } from './output.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check weft.yml, models, identity, profiles, audiences, triggers and syncs; exit 2 on any problem',
    )
    .addHelpText(
      'after',
      `
Every problem is listed with file:line:column and the field, e.g.
  models/sources.yml:4:7  sources.shop.tabels: unknown key 'tabels' (did you mean 'tables'?)
Models are also compiled, so unknown ref()/source() names and cycles are reported too.
Editors can autocomplete the YAML with the JSON Schemas in schemas/.`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      let secrets: string[] = [];
      const out = createOutput({ json: Boolean(opts.json), secrets: () => secrets });
      const { project, issues } = await loadProject(projectDir(opts));
      secrets = project?.secrets ?? [];
      const problems = issues.map((i) => ({ ...i, text: formatIssue(i) }));
      if (project) {
        try {
          compileProject(project, getEngine(project.config.warehouse.type).dialect);
        } catch (error) {
          if (!(error instanceof CompileError)) throw error;
          for (const issue of error.issues) problems.push({ ...issue, text: formatIssue(issue) });
        }
      }
      if (problems.length > 0) {
        out.error(`✗ ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
        for (const p of problems) out.error(`  ${p.text}`);
        out.result({ valid: false, problems: problems.map(({ text: _t, ...p }) => p) });
        throw new ReportedFailure(2);
      }
      const p = project!;
      const tables = p.sources.reduce((n, s) => n + s.tables.length, 0);
      out.info(
        `✓ ${p.config.name}: ${p.sources.length} sources (${tables} tables), ${p.models.length} models, ` +
          `${p.audiences.length} audiences, ${p.syncs.length} syncs${p.triggers?.length ? `, ${p.triggers.length} triggers` : ''}${p.identity ? ', identity' : ''}${p.profiles ? ', profiles' : ''} — all valid`,
      );
      // Not problems of the project: this environment lacks a connection's secret. Said, not failed.
      const unavailable = Object.entries(p.config.unavailable_connections ?? {});
      for (const [name, why] of unavailable) {
        out.error(`  ! connection '${name}' cannot be used here (its syncs will fail): ${why}`);
      }
      out.result({
        valid: true,
        problems: [],
        ...(unavailable.length > 0 ? { unavailable_connections: Object.fromEntries(unavailable) } : {}),
      });
    });
}
