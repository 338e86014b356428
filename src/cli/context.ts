/**
 * What most commands need: the project, loaded and validated, and a warehouse opened on demand.
 * Config problems are printed (all of them, with file:line) and end the command with exit 2.
 */
import path from 'node:path';
import { formatIssue, loadProject } from '../config/project.js';
import type { Project } from '../config/types.js';
import { openWarehouse } from '../warehouse/registry.js';
import type { Warehouse } from '../warehouse/types.js';
import { ProjectProblems } from './errors.js';
import { createOutput, type Output } from './output.js';

/** Options every command accepts. */
export interface GlobalOptions {
  project?: string;
  json?: boolean;
}

/** A command's runtime: output, the project, and a lazily opened warehouse. */
export interface CommandContext {
  out: Output;
  project: Project;
  /** Opens the project's warehouse once; closed by `close()`. */
  warehouse(): Promise<Warehouse>;
  close(): Promise<void>;
}

/** The project directory from `--project`, else the current directory. */
export function projectDir(options: GlobalOptions): string {
  return path.resolve(options.project ?? process.cwd());
}

/** Loads the project or prints every config issue and fails with exit code 2. */
export async function loadContext(options: GlobalOptions): Promise<CommandContext> {
  let secrets: string[] = [];
  const out = createOutput({ json: Boolean(options.json), secrets: () => secrets });
  const { project, issues } = await loadProject(projectDir(options));
  if (!project) {
    out.error(`${issues.length} problem${issues.length === 1 ? '' : 's'} in the project:`);
    for (const issue of issues) out.error(`  ${formatIssue(issue)}`);
    throw new ProjectProblems(issues);
  }
  secrets = project.secrets;
  let opened: Promise<Warehouse> | undefined;
  return {
    out,
    project,
    warehouse() {
      opened ??= openWarehouse(project.config.warehouse, { projectDir: project.dir });
      return opened;
    },
    async close() {
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}

/** Runs a command body with a context, always closing the warehouse. */
export async function withContext<T>(
  options: GlobalOptions,
  body: (ctx: CommandContext) => Promise<T>,
): Promise<T> {
  const ctx = await loadContext(options);
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
