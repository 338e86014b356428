/** `weft validate`: check every project file and model reference, listing all problems at once. */

import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { type CompiledModel, compileProject } from '../compiler/compile.js';
import { CompileError } from '../compiler/errors.js';
import type { ConfigIssue } from '../config/issues.js';
import { formatIssue, loadProject } from '../config/project.js';
import type { Project } from '../config/types.js';
import { parseYaml } from '../config/yaml.js';
import { checkColumns } from '../sync/check/columns.js';
import { checkConnectionSettings } from '../sync/check/connections.js';
import { columnsOf, reachableWarehouse } from '../sync/check/warehouse-columns.js';
import { checkWhereFilters } from '../sync/check/where.js';
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
Connections are checked against their connector's settings (unknown keys, enums, URLs), and
column names (identity.yml, profiles.yml, each sync's key and mappings) against the columns
of what they read: known from the project for profiles, audiences' columns: and models whose
final SELECT names every column (no *), and from the warehouse for other models and source
tables when it has been built and can be read.
Editors can autocomplete the YAML with the JSON Schemas in schemas/.`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      let secrets: string[] = [];
      const out = createOutput({ json: Boolean(opts.json), secrets: () => secrets });
      const { project, issues } = await loadProject(projectDir(opts));
      secrets = project?.secrets ?? [];
      const problems = issues.map((i) => ({ ...i, text: formatIssue(i) }));
      let columnsNote: string | undefined;
      if (project) {
        let compiled: CompiledModel[] = [];
        try {
          compiled = compileProject(project, getEngine(project.config.warehouse.type).dialect).models;
        } catch (error) {
          if (!(error instanceof CompileError)) throw error;
          for (const issue of error.issues) problems.push({ ...issue, text: formatIssue(issue) });
        }
        const deeper = await checkDeeper(project, compiled);
        columnsNote = deeper.note;
        for (const issue of deeper.issues) problems.push({ ...issue, text: formatIssue(issue) });
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
      if (columnsNote) out.info(`  ${columnsNote}`);
      // Not problems of the project: this environment lacks a connection's secret. Said, not failed.
      const unavailable = Object.entries(p.config.unavailable_connections ?? {});
      for (const [name, why] of unavailable) {
        out.note(`  ! connection '${name}' cannot be used here (its syncs will fail): ${why}`);
      }
      out.result({
        valid: true,
        problems: [],
        ...(unavailable.length > 0 ? { unavailable_connections: Object.fromEntries(unavailable) } : {}),
      });
    });
}

/**
 * Connection settings and column names: against what the files say (a model's explicit SELECT
 * list among them), else the warehouse when it can be read.
 */
async function checkDeeper(
  project: Project,
  compiled: CompiledModel[],
): Promise<{ issues: ConfigIssue[]; note?: string }> {
  const weftText = await fs.readFile(path.join(project.dir, 'weft.yml'), 'utf8');
  const issues = checkConnectionSettings(project, parseYaml('weft.yml', weftText));
  const { warehouse, why } = await reachableWarehouse(project);
  try {
    issues.push(...(await checkColumns(project, columnsOf(project, warehouse, compiled))));
    // A where: runs over the built relation: only the warehouse's own columns say it is there.
    if (warehouse)
      issues.push(...(await checkWhereFilters(project, warehouse, columnsOf(project, warehouse))));
  } finally {
    await warehouse?.close();
  }
  const note = why
    ? `columns of source tables, and of models whose SELECT is not an explicit list, not checked: ${why}`
    : undefined;
  return { issues, ...(note && { note }) };
}
